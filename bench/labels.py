"""Label engine benchmark: the studio engine against pylabels and blabel on the same job.

Job (spec/label-stock.md §1): 1,000 identical labels on Avery L7160 (3 x 7 on A4, 48 pages), each with
a product name (10.5 pt bold), two lines of 6.5 pt text, a 24 mm QR code (EC M) for a 64-character URL
and a 16 x 16 mm photo (one synthetic 1200 x 1200 JPEG). Extra studio cases: a hub print job of 1,000
labels with its batch overlay (code and dates; the print entry point render_sheet_pdf(overlay=)) and a
one-label designer preview (PDF -> 150 dpi PNG).

Every case runs in a fresh child process; peak memory is that child's VmHWM. "cold" is the first
render after imports, "warm" the second render in the same process (a long-running worker).
Prints one JSON document. Peers are skipped (and say why) when not installed:
    .venv/bin/pip install pylabels==1.2.1 blabel==0.1.7

Usage: python bench/labels.py [--cases studio,studio_job,studio_preview,pylabels,blabel] [--quick]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URL = "https://blonjo.example.id/p/K7M2Q9-keripik-singkong-balado-mbok-sri-250g?src=label"  # 64+ chars
NAME, LINE1, LINE2 = "Keripik Singkong Balado", "Berat Bersih 250 g - P-IRT No. 2063517010012-29", \
    "UD Mbok Sri, Plandaan, Jombang"
COPIES = int(os.environ.get("BENCH_COPIES", "1000"))
GOALS = {"studio": {"render_s": 0.1, "pdf_bytes": 300_000, "peak_mb": 100},
         "studio_job": {"render_s": 0.2}, "studio_preview": {"render_s": 0.15}}


def vm_hwm_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def synthetic_jpeg() -> bytes:
    """A 1200 x 1200 photo-like JPEG (~150 kB): smooth colour gradients plus texture noise (Pillow only,
    so making it does not inflate the child's peak memory)."""
    from PIL import Image, ImageChops
    ramp = Image.linear_gradient("L").resize((1200, 1200))
    disc = Image.radial_gradient("L").resize((1200, 1200))
    noise = Image.effect_noise((1200, 1200), 10)
    r = ImageChops.add(ramp, noise, scale=1.6, offset=40)
    g = ImageChops.add(disc.rotate(30), noise.transpose(Image.Transpose.ROTATE_90), scale=2.2, offset=20)
    b = ImageChops.multiply(ramp.rotate(90), disc)
    out = io.BytesIO()
    Image.merge("RGB", (r, g, b)).save(out, "JPEG", quality=80)
    return out.getvalue()


# ------------------------------------------------------------------ studio cases
def _studio_setup():
    from PIL import Image

    import studio.labels as L
    from studio.labels import Box, ImageItem, LabelDocument, QRItem, TextItem
    layouts = L.load_layouts(ROOT / "label_layouts")
    fonts = L.FontRegistry(ROOT / "fonts")
    lay = layouts["avery-l7160"]
    doc = LabelDocument(lay.id, (
        ImageItem(Box(2, 2, 16, 16), "photo", tag="photo"),
        TextItem(Box(20, 2.5, 41.5, 5), "${name}", font="heading", size_pt=10.5, min_size_pt=7, tag="pdp.name"),
        TextItem(Box(2, 19, 33, 7), "${line1}", size_pt=6.5, min_size_pt=5.5, tag="pdp.net_qty"),
        TextItem(Box(2, 27, 33, 7), "${line2}", size_pt=6.5, min_size_pt=5.5, tag="pdp.producer"),
        QRItem(Box(37.5, 12, 24, 24)),
    ))
    photo = Image.open(io.BytesIO(synthetic_jpeg()))
    photo.load()
    values = {"name": NAME, "line1": LINE1, "line2": LINE2, "url": URL}
    return L, lay, fonts, doc, photo, values


def case_studio() -> dict:
    L, lay, fonts, doc, photo, values = _studio_setup()
    times, pdf = [], b""
    for _ in range(2):
        t = time.perf_counter()
        label = L.compose(doc, lay, values, fonts, {"photo": photo})
        pdf = L.render_sheet_pdf(label, lay, COPIES)
        times.append(time.perf_counter() - t)
    peak = vm_hwm_mb()
    return {"render_cold_s": round(times[0], 4), "render_warm_s": round(times[1], 4), "peak_mb": peak,
            "pdf_bytes": len(pdf), "problems": [p.code for p in label.problems], **pdf_checks(pdf, lay, [URL] * 21)}


def case_studio_job() -> dict:
    """A hub print job as printing renders it (``render_sheet_pdf`` with the job's batch overlay:
    code and dates, the same on every label), composed and rendered from scratch each run."""
    L, lay, fonts, doc, photo, values = _studio_setup()
    from studio.labels import Box, LabelDocument, TextItem
    batch = LabelDocument(lay.id, (TextItem(Box(2, 34.5, 33, 3.2), "Kode 261127-01 · Exp 27-03-2027", size_pt=6,
                                            min_size_pt=5.5, bold=True, tag="overlay.batch"),), background=None)
    times, pdf = [], b""
    for _ in range(2):
        L.codes.qr_matrix.cache_clear()
        t = time.perf_counter()
        label = L.compose(doc, lay, values, fonts, {"photo": photo})
        overlay = L.compose(batch, lay, {}, fonts)
        pdf = L.render_sheet_pdf(label, lay, COPIES, overlay=overlay)
        times.append(time.perf_counter() - t)
    peak = vm_hwm_mb()
    return {"render_cold_s": round(times[0], 4), "render_warm_s": round(times[1], 4), "peak_mb": peak,
            "pdf_bytes": len(pdf), **pdf_checks(pdf, lay, [URL] * 21)}


def case_studio_preview() -> dict:
    L, lay, fonts, _doc, photo, values = _studio_setup()
    full = {"name": NAME, "brand": "Mbok Sri", "variant": "Pedas manis", "net_qty": "Berat Bersih 250 g",
            "ingredients": "Singkong (70%), minyak sawit, cabai, bawang putih, garam, gula, <b>kacang tanah</b>",
            "allergen_stmt": "Mengandung alergen: kacang tanah.", "storage": "Simpan di tempat sejuk dan kering.",
            "producer": "UD Mbok Sri, Dsn. Sumberagung, Ds. Pelabuhan, Kec. Plandaan, Jombang 61456",
            "permit": "P-IRT No. 2063517010012-29", "halal_number": "ID35110000123450923",
            "expiry": "Baik digunakan sebelum: lihat tutup kemasan", "price": "Rp15.000", "url": URL,
            "gtin": "8991234567891", "nutrition": ""}
    lay = L.load_layouts(ROOT / "label_layouts")["avery-l7165"]
    doc = L.make_document("tradisional", lay)
    times, png = [], b""
    for _ in range(8):
        t = time.perf_counter()
        label = L.compose(doc, lay, full, fonts, {"photo": photo})
        pdf = L.render_label_pdf(label, lay, bleed_mm=0, crop_marks=False, show_outline=True)
        png = L.render_preview_png(pdf, dpi=150)
        times.append(time.perf_counter() - t)
    warm = sorted(times[1:])
    return {"render_cold_s": round(times[0], 4), "render_warm_s": round(warm[len(warm) // 2], 4),
            "peak_mb": vm_hwm_mb(), "png_bytes": len(png), "stock": lay.id, "dpi": 150}


# -------------------------------------------------------------------- peers
def case_pylabels() -> dict:
    here = Path(__file__).resolve().parent      # this file is also called "labels": keep it off the path
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.modules.pop("labels", None)
    try:
        import labels as pylabels
    except ImportError as e:
        return {"skipped": f"pylabels not installed: {e}"}
    from reportlab.graphics import shapes
    from reportlab.graphics.barcode.qr import QrCodeWidget
    jpeg = synthetic_jpeg()
    with tempfile.NamedTemporaryFile(suffix=".jpg", delete=False) as fh:
        fh.write(jpeg)
        photo_path = fh.name
    mm = 72 / 25.4

    with_photo = os.environ.get("BENCH_PYLABELS_PHOTO") == "1"   # ~60 s, ~700 MB (spec): off by default

    def draw(label, width, height, obj):
        if with_photo:
            label.add(shapes.Image(2 * mm, height - 18 * mm, 16 * mm, 16 * mm, photo_path))
        label.add(shapes.String(20 * mm, height - 7 * mm, NAME, fontName="Helvetica-Bold", fontSize=10.5))
        label.add(shapes.String(2 * mm, height - 22 * mm, LINE1, fontName="Helvetica", fontSize=6.5))
        label.add(shapes.String(2 * mm, height - 30 * mm, LINE2, fontName="Helvetica", fontSize=6.5))
        qr = QrCodeWidget(obj, barLevel="M", barBorder=2)
        x0, y0, x1, y1 = qr.getBounds()
        g = shapes.Group(qr, transform=[24 * mm / (x1 - x0), 0, 0, 24 * mm / (y1 - y0), 37.5 * mm, 2 * mm])
        label.add(g)

    spec = pylabels.Specification(210, 297, 3, 7, 63.5, 38.1, corner_radius=1.5, left_margin=7.21,
                                  top_margin=15.15, column_gap=2.54, row_gap=0)
    times, pdf = [], b""
    for _ in range(1):     # ~60 s and ~700 MB per run (spec): one run only
        t = time.perf_counter()
        sheet = pylabels.Sheet(spec, draw, border=False)
        sheet.add_label(URL, count=COPIES)
        buf = io.BytesIO()
        sheet.save(buf)
        pdf = buf.getvalue()
        times.append(time.perf_counter() - t)
    peak = vm_hwm_mb()
    os.unlink(photo_path)
    from studio.labels import load_layouts
    lay = load_layouts(ROOT / "label_layouts")["avery-l7160"]
    return {"render_cold_s": round(times[0], 3), "peak_mb": peak, "pdf_bytes": len(pdf),
            "mode": "add_label(obj, count=N)", "photo": with_photo, **pdf_checks(pdf, lay, [URL] * 21)}


def case_blabel() -> dict:
    try:
        from blabel import LabelWriter
    except Exception as e:  # noqa: BLE001 - weasyprint needs pango; report, do not crash
        return {"skipped": f"blabel/weasyprint not usable: {e}"}
    tmp = Path(tempfile.mkdtemp())
    (tmp / "photo.jpg").write_bytes(synthetic_jpeg())
    jpeg_uri = (tmp / "photo.jpg").as_uri()          # one URL: WeasyPrint embeds it once
    (tmp / "item.html").write_text(
        '<div class="l"><img class="p" src="{{ photo }}"/><div class="n">{{ name }}</div>'
        '<div class="t1">{{ line1 }}</div><div class="t2">{{ line2 }}</div>'
        '<img class="q" src="{{ label_tools.qr_code(url, error_correction=0, border=2) }}"/></div>')
    (tmp / "style.css").write_text(
        "@page { size: A4; margin: 0; } .print-area { width: 210mm; height: 297mm; box-sizing: border-box;"
        " padding: 15.15mm 0 0 7.21mm; font-size: 0; }"
        ".item { width: 63.5mm; height: 38.1mm; margin-right: 2.54mm; vertical-align: top; }"
        ".item:nth-child(3n) { margin-right: 0; } .l { position: relative; width: 63.5mm; height: 38.1mm;"
        " font-family: 'DejaVu Sans'; } .p { position: absolute; left: 2mm; top: 2mm; width: 16mm; }"
        ".n { position: absolute; left: 20mm; top: 2.5mm; font-size: 10.5pt; font-weight: bold; }"
        ".t1 { position: absolute; left: 2mm; top: 19mm; font-size: 6.5pt; width: 33mm; }"
        ".t2 { position: absolute; left: 2mm; top: 27mm; font-size: 6.5pt; width: 33mm; }"
        ".q { position: absolute; left: 37.5mm; top: 12mm; width: 24mm; }")
    writer = LabelWriter(str(tmp / "item.html"), default_stylesheets=(str(tmp / "style.css"),), items_per_page=21)
    records = [{"photo": jpeg_uri, "name": NAME, "line1": LINE1, "line2": LINE2, "url": URL}] * COPIES
    times, pdf = [], b""
    for _ in range(2):
        t = time.perf_counter()
        pdf = writer.write_labels(records, target=None, base_url=str(tmp))
        times.append(time.perf_counter() - t)
    peak = vm_hwm_mb()
    if os.environ.get("BENCH_SAVE"):
        Path(os.environ["BENCH_SAVE"]).write_bytes(pdf)
    from studio.labels import load_layouts
    lay = load_layouts(ROOT / "label_layouts")["avery-l7160"]
    return {"render_cold_s": round(times[0], 3), "render_warm_s": round(times[1], 3), "peak_mb": peak,
            "pdf_bytes": len(pdf), **pdf_checks(pdf, lay, [URL] * 21)}


# ------------------------------------------------------------------- checks
def pdf_checks(pdf: bytes, lay, expect: list[str]) -> dict:
    """Pages, non-embedded fonts, and QR decodes of page 1 cropped per label at 300 dpi."""
    import pypdfium2 as pdfium

    from studio.labels import decode_codes, slot_origins_mm
    doc = pdfium.PdfDocument(pdf)
    pages = len(doc)
    img = doc[0].render(scale=300 / 72, grayscale=True).to_pil()
    doc.close()
    k = 300 / 25.4
    found = 0
    for (x, y), want in zip(slot_origins_mm(lay), expect):
        crop = img.crop((round(x * k), round(y * k), round((x + lay.label_w_mm) * k), round((y + lay.label_h_mm) * k)))
        found += any(d.text == want for d in decode_codes(crop, "QRCode"))
    base = set(re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-_]+)", pdf))
    not_embedded = sorted(b.decode() for b in base if not re.match(rb"^[A-Z]{6}\+", b))
    return {"pages": pages, "fonts_not_embedded": not_embedded, "qr_decoded_page1": f"{found}/{len(expect)}"}


CASES = {"studio": case_studio, "studio_job": case_studio_job, "studio_preview": case_studio_preview,
         "pylabels": case_pylabels, "blabel": case_blabel}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--cases", default=",".join(CASES))
    a = ap.parse_args()
    if a.case:                                       # child process: run one case, print its JSON
        print(json.dumps(CASES[a.case]()))
        return
    out = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                       "load_avg_1min_at_start": round(os.getloadavg()[0], 2)}, "copies": COPIES,
           "goals": GOALS, "cases": {}}
    for name in a.cases.split(","):
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--case", name], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=1800)
        wall = round(time.perf_counter() - t, 3)
        try:
            res = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            res = {"error": proc.stderr.strip().splitlines()[-3:]}
        res["process_s"] = wall
        goal = GOALS.get(name)
        if goal and "render_warm_s" in res:      # judged on the warm figure (a long-running worker)
            res["meets_goals"] = (res["render_warm_s"] <= goal["render_s"]
                                  and res.get("pdf_bytes", 0) <= goal.get("pdf_bytes", 1 << 40)
                                  and res["peak_mb"] <= goal.get("peak_mb", 1 << 20))
        out["cases"][name] = res
    out["machine"]["load_avg_1min_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
