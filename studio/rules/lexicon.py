"""Word lists behind the text rules (NAME-02, CLAIM-01, ING-03, WARN-01, HALAL-05, PERMIT-03).

Kept as data so trainers can review them; matching is case-insensitive on whole words.
"""
from __future__ import annotations

import re

#: NAME-02: words a brand name may not use (safety, nutrition, health, misleading adjectives).
BRAND_FORBIDDEN = ("sehat", "menyehatkan", "bergizi", "obat", "berkhasiat", "khasiat", "aman",
                   "higienis", "terbaik", "no.1", "no. 1", "no 1", "nomor 1", "nomor satu",
                   "juara", "ajaib", "mujarab", "herbal berkhasiat", "bebas kolesterol")

_NUTRIENTS = (r"protein|serat|kalsium|vitamin(?:\s+[a-z]\d?)?|zat\s+besi|mineral|gula|lemak|"
              r"kolesterol|garam|natrium|energi|kalori|karbohidrat|omega\s*-?\s*3|antioksidan|"
              r"pengawet|pewarna|msg|micin|penyedap")
#: CLAIM-01: nutrition and health claim patterns.
CLAIM_PATTERNS = (
    re.compile(rf"\b(tinggi|kaya|sumber|rendah|bebas|tanpa|non|nol|zero|diperkaya)\s+({_NUTRIENTS})\b", re.I),
    re.compile(r"\b(menyembuhkan|mencegah|mengobati|obat\s+\w+|menurunkan\s+\w+|"
               r"meningkatkan\s+(imun|imunitas|stamina|daya\s+tahan|kekebalan|vitalitas|gairah)|"
               r"menambah\s+(stamina|daya\s+tahan)|anti\s*kanker|antikanker|detoks|diet|"
               r"melangsingkan|pelangsing|penambah\s+(nafsu\s+makan|stamina))\b", re.I),
    re.compile(r"(100\s*%\s*alami|100\s*%\s*natural|alami\s+100\s*%)", re.I),
)

#: ING-03: additive names -> the class word that must come before them.
ADDITIVES = {
    "natrium benzoat": "Pengawet", "sodium benzoate": "Pengawet", "kalium sorbat": "Pengawet",
    "potassium sorbate": "Pengawet", "asam benzoat": "Pengawet", "kalsium propionat": "Pengawet",
    "natrium metabisulfit": "Pengawet", "mononatrium glutamat": "Penguat rasa",
    "monosodium glutamat": "Penguat rasa", "msg": "Penguat rasa", "dinatrium inosinat": "Penguat rasa",
    "dinatrium guanilat": "Penguat rasa", "tartrazin": "Pewarna", "tartrazine": "Pewarna",
    "kuning fcf": "Pewarna", "sunset yellow": "Pewarna", "ponceau": "Pewarna", "karmoisin": "Pewarna",
    "allura red": "Pewarna", "biru berlian": "Pewarna", "karamel": "Pewarna",
    "sakarin": "Pemanis", "siklamat": "Pemanis", "aspartam": "Pemanis", "sukralosa": "Pemanis",
    "asesulfam": "Pemanis", "asesulfam-k": "Pemanis", "stevia": "Pemanis",
    "natrium bikarbonat": "Pengembang", "soda kue": "Pengembang", "baking powder": "Pengembang",
    "amonium bikarbonat": "Pengembang", "asam sitrat": "Pengatur keasaman",
    "lesitin": "Pengemulsi", "karagenan": "Pengental", "xanthan gum": "Pengental",
    "cmc": "Pengental", "vanilin": "Perisa", "bht": "Antioksidan", "tbhq": "Antioksidan",
}
ADDITIVE_CLASS_WORDS = ("pengawet", "pewarna", "pemanis", "pengembang", "penguat rasa",
                        "pengatur keasaman", "pengemulsi", "pengental", "antioksidan", "perisa",
                        "pembentuk gel", "penstabil", "humektan", "pengeras", "antikempal",
                        "bahan pengembang", "btp")

#: WARN-01: artificial sweeteners (names as typed in ingredient lists).
SWEETENERS = ("aspartam", "aspartame", "sakarin", "saccharin", "siklamat", "cyclamate",
              "sukralosa", "sucralose", "asesulfam", "acesulfame", "asesulfam-k", "neotam",
              "neotame")

#: HALAL-05 / WARN-01: pork-derived ingredients.
PORK_WORDS = ("babi", "pork", "lard", "bacon", "ham", "gelatin babi", "lemak babi", "minyak babi",
              "kulit babi", "char siu", "samcan")

#: PERMIT-03: storage words that mean chilled or frozen handling (not allowed under P-IRT).
COLD_STORAGE = re.compile(r"\b(beku|dibekukan|frozen|freezer|kulkas|lemari\s+es|lemari\s+pendingin|"
                          r"suhu\s+dingin|dinginkan|chiller|(di\s*bawah|<)\s*-?\d+\s*°?\s*c)\b", re.I)

#: ING-02: vitamins and minerals may be listed last regardless of weight.
VITAMIN_MINERAL = re.compile(r"^\s*(vitamin|mineral|zat besi|kalsium|seng|zink|zinc|iodium|"
                             r"yodium|asam folat|premiks)", re.I)


def find_words(text: str, words: tuple[str, ...] | list[str]) -> list[str]:
    """The ``words`` that occur in ``text`` as whole words (case-insensitive), in list order."""
    low = str(text or "").lower()
    return [w for w in words if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", low)]


def find_claims(text: str) -> list[str]:
    """Claim phrases in ``text`` as typed ("tinggi protein", "100% alami", "menyembuhkan")."""
    out: list[str] = []
    for pattern in CLAIM_PATTERNS:
        out += [m.group(0) for m in pattern.finditer(str(text or ""))]
    return out


# -- LANG-01: English-only mandatory content (word lists in :mod:`studio.rules.wordlists`) --------

_TECHNICAL = sorted({*ADDITIVES, *SWEETENERS}, key=len, reverse=True)   # allowed as technical names
_TOKEN = re.compile(r"[a-zà-ÿ]+")


def language_score(text: str) -> tuple[list[str], list[str], int]:
    """``(english words, indonesian words, unknown word count)`` of ``text``; technical additive
    names and neutral loanwords ("premium", "robusta") are left out."""
    from .wordlists import ENGLISH, INDONESIAN, NEUTRAL
    low = str(text or "").lower()
    for name in _TECHNICAL:
        low = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", " ", low)
    en, idn, unknown = [], [], 0
    for tok in _TOKEN.findall(low):
        if len(tok) < 2 or tok in NEUTRAL:
            continue
        if tok in INDONESIAN:
            idn.append(tok)
        elif tok in ENGLISH:
            en.append(tok)
        else:
            unknown += 1
    return en, idn, unknown


def is_english_only(text: str, min_words: int = 1) -> bool:
    """True when ``text`` is written in English without Indonesian: at least ``min_words``
    English words, no Indonesian word, and more English words than unknown ones (so a regional
    name with one English word, "Gethuk Crispy", is not flagged)."""
    en, idn, unknown = language_score(text)
    return len(en) >= max(1, min_words) and not idn and len(en) > unknown


def english_only_parts(text: str, min_words: int = 1) -> list[str]:
    """The comma-separated parts of a printed list (e.g. "Komposisi: wheat flour, gula") that
    are English only; a heading before ":" is ignored."""
    body = str(text or "").replace("<b>", "").replace("</b>", "")
    if ":" in body.split(",", 1)[0]:
        body = body.split(":", 1)[1]
    return [p.strip(" .") for p in re.split(r"[,;]", body) if p.strip(" .")
            and is_english_only(p, min_words)]
