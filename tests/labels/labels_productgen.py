"""A seeded generator of realistic village products with short to very long label texts.

Two independent sets: ``tuning_set()`` (what the composer was tuned on) and ``heldout_set()`` (a
different seed AND different word lists, never looked at while tuning). Each product is
``(values, options)``: the label texts as the rules module writes them (``<b>`` headings, bold
allergens) and the DesignOptions a producer would get by default for that data.

Lengths vary on purpose: names from one word to a long compound, addresses from a town to
"Dusun …, RT 003/RW 011, Desa …, Kecamatan …, Kabupaten …", 1–25 ingredients, optional nutrition
panel, halal number, allergens, warnings and long permit numbers.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from studio.labels import DesignOptions

EXPIRY_STAMPED = "Baik digunakan sebelum: lihat kemasan"


@dataclass(frozen=True)
class Words:
    products: tuple[str, ...]
    qualifiers: tuple[str, ...]
    brands: tuple[str, ...]
    people: tuple[str, ...]
    dusun: tuple[str, ...]
    desa: tuple[str, ...]
    kecamatan: tuple[str, ...]
    kabupaten: tuple[str, ...]
    ingredients: tuple[str, ...]
    allergens: tuple[tuple[str, str], ...]      # (ingredient, allergen group)
    variants: tuple[str, ...]


TUNING_WORDS = Words(
    products=("Keripik Singkong", "Kopi Bubuk Robusta", "Madu Hutan", "Sambal Pecel", "Rengginang",
              "Gula Aren Cair", "Kerupuk Udang", "Emping Melinjo", "Jamu Kunyit Asam", "Dodol Nanas",
              "Abon Sapi", "Teh Daun Kelor", "Kacang Bawang", "Stik Bawang", "Sirup Jahe Merah"),
    qualifiers=("Balado", "Original", "Super Pedas", "Premium", "Khas Jombang", "Tanpa Pengawet",
                "Rasa Jagung Bakar Manis", "Spesial Lebaran", "Organik Pilihan Petani Lereng Wilis"),
    brands=("Mbok Sri", "Pak Dul", "Sumber Rejeki", "Dapur Bu Yati", "Tani Makmur", "Barokah",
            "Cahaya Kencana Abadi Sejahtera", "Ning Ayu"),
    people=("UD Mbok Sri", "CV Sumber Rejeki Abadi", "Ibu Siti Aminah", "KUB Wanita Tani Mekar Sari",
            "UMKM Dapur Bu Yati", "Koperasi Produsen Gula Aren Sejahtera Bersama"),
    dusun=("Sumberagung", "Krajan", "Ngemplak", "Kedungrejo Lor", "Sidomulyo Wetan"),
    desa=("Pelabuhan", "Bandung", "Ngrimbi", "Karangmojo", "Sukodadi Kidul"),
    kecamatan=("Plandaan", "Bareng", "Diwek", "Mojowarno", "Kabuh", "Ngoro"),
    kabupaten=("Jombang", "Kediri", "Mojokerto", "Nganjuk"),
    ingredients=("singkong", "minyak sawit", "cabai merah", "bawang putih", "bawang merah", "garam",
                 "gula pasir", "gula merah", "daun jeruk", "penguat rasa mononatrium glutamat",
                 "tepung tapioka", "kunyit", "jahe", "asam jawa", "kemiri", "ketumbar", "air",
                 "pengawet natrium benzoat", "perisa identik alami jagung bakar", "kayu manis"),
    allergens=(("tepung terigu", "gluten"), ("kacang tanah", "kacang tanah"), ("udang", "krustasea"),
               ("susu bubuk", "susu"), ("telur ayam", "telur"), ("kedelai", "kedelai")),
    variants=("Pedas manis", "Kemasan hemat", "Isi ulang", "Rasa original", "Level 5 ekstra pedas"),
)

HELDOUT_WORDS = Words(
    products=("Kacang Mete Goreng", "Bumbu Rujak", "Selai Srikaya", "Kue Satu Kacang Hijau",
              "Minuman Serbuk Temulawak", "Criping Pisang Kepok", "Lanting Gurih", "Bawang Goreng"),
    qualifiers=("Rasa Keju", "Asli Wonosalam", "Gurih Renyah", "Tanpa MSG Tambahan",
                "Hasil Panen Kelompok Tani Dusun Kedung Cinet"),
    brands=("Bu Lasmi", "Wonosalam Jaya", "Omah Camilan", "Sari Rasa Nusantara Mandiri"),
    people=("PIRT Bu Lasmi", "Kelompok Usaha Bersama Omah Camilan Wonosalam",
            "Bapak Haji Muhammad Syaifuddin Zuhri"),
    dusun=("Mendiro", "Wonomerto", "Segunung Kulon"),
    desa=("Wonosalam", "Galengdowo", "Carangwulung"),
    kecamatan=("Wonosalam", "Kudu", "Ploso", "Gudo"),
    kabupaten=("Jombang", "Lamongan"),
    ingredients=("pisang kepok", "mete", "gula kelapa", "santan kelapa", "daun pandan", "vanili",
                 "temulawak", "serai", "garam beryodium", "minyak kelapa", "bawang merah Nganjuk",
                 "pewarna alami karamel", "pengemulsi lesitin", "air matang"),
    allergens=(("keju", "susu"), ("kacang mete", "kacang pohon"), ("terigu", "gluten"),
               ("kuning telur", "telur")),
    variants=("Toples kecil", "Rasa asli", "Pedas gurih"),
)


def _address(rnd: random.Random, w: Words) -> str:
    kind = rnd.random()
    kab, kec = rnd.choice(w.kabupaten), rnd.choice(w.kecamatan)
    post = f"61{rnd.randint(100, 499)}"
    if kind < 0.2:                                      # short
        return f"{rnd.choice(w.people)}, {kab} {post}, Indonesia"
    if kind < 0.55:
        return (f"{rnd.choice(w.people)}, Dsn. {rnd.choice(w.dusun)}, Ds. {rnd.choice(w.desa)}, "
                f"Kec. {kec}, {kab} {post}, Indonesia")
    rt, rw = rnd.randint(1, 19), rnd.randint(1, 12)
    return (f"{rnd.choice(w.people)}, Jl. {rnd.choice(w.dusun)} Gg. {rnd.randint(1, 9)} No. {rnd.randint(1, 120)}, "
            f"Dusun {rnd.choice(w.dusun)}, RT {rt:03d}/RW {rw:03d}, Desa {rnd.choice(w.desa)}, "
            f"Kecamatan {kec}, Kabupaten {kab}, Jawa Timur {post}, Indonesia")


def _ingredients(rnd: random.Random, w: Words) -> tuple[str, list[str]]:
    n = rnd.choice((1, 2, 3, 5, 7, 9, 12, 16, 20, 25))
    pool = list(w.ingredients)
    rnd.shuffle(pool)
    allergens: list[tuple[str, str]] = rnd.sample(w.allergens, rnd.choice((0, 0, 1, 2, 3)))
    names = [f"<b>{a}</b>" for a, _g in allergens] + pool
    names = (names * 3)[:n] if n > len(names) else names[:n]
    if rnd.random() < 0.5 and names:
        names[0] += f" ({rnd.randint(30, 85)}%)"
    groups = sorted({g for a, g in allergens if f"<b>{a}</b>" in " ".join(names)})
    return "<b>Komposisi:</b> " + ", ".join(names) + ".", groups


def _nutrition(rnd: random.Random) -> str:
    serving = rnd.choice((10, 15, 20, 25, 30, 50))
    rows = [("Energi total", f"{rnd.randint(30, 250)} kkal", None),
            ("Lemak total", f"{rnd.randint(0, 15)} g", f"{rnd.randint(0, 25)}%"),
            ("Protein", f"{rnd.randint(0, 9)} g", f"{rnd.randint(0, 15)}%"),
            ("Karbohidrat total", f"{rnd.randint(1, 40)} g", f"{rnd.randint(1, 14)}%"),
            ("Gula", f"{rnd.randint(0, 20)} g", None), ("Garam (Natrium)", f"{rnd.randint(5, 400)} mg", f"{rnd.randint(0, 20)}%")]
    rows = rows[:rnd.choice((2, 4, 6))]
    body = "; ".join(f"{a} {b}" + (f" ({c})" if c else "") for a, b, c in rows)
    return (f"Takaran saji {serving} g · {rnd.randint(2, 12)} sajian per kemasan\n"
            f"Jumlah per sajian\n{body}")


def make_product(rnd: random.Random, w: Words, idx: int) -> tuple[dict[str, str], DesignOptions]:
    name = rnd.choice(w.products)
    if rnd.random() < 0.6:
        name += " " + rnd.choice(w.qualifiers)
    if rnd.random() < 0.15:
        name += " " + rnd.choice(w.qualifiers)
    ingredients, groups = _ingredients(rnd, w)
    halal = rnd.random() < 0.6
    nutrition = _nutrition(rnd) if rnd.random() < 0.45 else ""
    permit = rnd.choice((f"P-IRT No. {rnd.randint(10**12, 10**13 - 1)}-{rnd.randint(20, 30)}",
                         f"BPOM RI MD {rnd.randint(10**11, 10**12 - 1)}",
                         f"P-IRT No. {rnd.randint(10**14, 10**15 - 1)}-{rnd.randint(20, 30)}"))
    storage = rnd.choice(("Simpan di tempat sejuk dan kering.",
                          "Simpan di tempat sejuk dan kering, hindarkan dari sinar matahari langsung. "
                          "Tutup rapat setelah dibuka dan habiskan dalam 7 hari.",
                          "Simpan di lemari es setelah dibuka."))
    values = {
        "name": name, "brand": rnd.choice(w.brands), "variant": rnd.choice(w.variants) if rnd.random() < 0.6 else "",
        "net_qty": rnd.choice(("Berat Bersih 250 g", "Berat Bersih 1 kg", "Isi Bersih 500 mL",
                               "Berat Bersih 100 g (4 x 25 g)", "Netto 75 g")),
        "units": "", "ingredients": ingredients,
        "allergen_stmt": ("Mengandung alergen: " + ", ".join(groups) + ".") if groups else "",
        "producer": "<b>Diproduksi oleh:</b> " + _address(rnd, w),
        "permit": permit, "halal_number": f"ID{rnd.randint(10**16, 10**17 - 1)}" if halal else "",
        "expiry": EXPIRY_STAMPED if rnd.random() < 0.7 else
        f"Baik digunakan sebelum: {rnd.randint(1, 28):02d}-{rnd.randint(1, 12):02d}-2027",
        "production": "Tanggal dan kode produksi: lihat kemasan", "storage": storage,
        "warning": "Mengandung pemanis buatan: aspartam." if rnd.random() < 0.1 else "",
        "price": f"Rp{rnd.randint(5, 95)}.000", "url": f"https://blonjo.jombangkab.example.id/p/{idx:04d}Q{rnd.randint(100, 999)}",
        "gtin": "8991234567891" if rnd.random() < 0.3 else "", "nutrition": nutrition,
    }
    options = DesignOptions(show_photo=rnd.random() < 0.7, show_logo=rnd.random() < 0.3,
                            show_price=rnd.random() < 0.3, show_halal=halal, halal_logo=halal,
                            show_ean=bool(values["gtin"]), show_nutrition=bool(nutrition))
    return values, options


def tuning_set(n: int = 32, seed: int = 1414) -> list[tuple[dict[str, str], DesignOptions]]:
    rnd = random.Random(seed)
    return [make_product(rnd, TUNING_WORDS, i) for i in range(n)]


def heldout_set(n: int = 8, seed: int = 90210) -> list[tuple[dict[str, str], DesignOptions]]:
    rnd = random.Random(seed)
    return [make_product(rnd, HELDOUT_WORDS, 1000 + i) for i in range(n)]
