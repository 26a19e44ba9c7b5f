"""Print truth, measured on the PDF: text over text and text outside the safe area.

Renders the FULL cross product (generated products × every style × every stock in label_layouts/)
with the one painter (render_label_pdf, page = the label), reads every glyph box back from the PDF
with pypdfium2 and counts designs with overlapping glyphs of different lines (> 0.15 mm both ways),
designs whose words on different lines overlap as PDF readers (pdfminer/pdfplumber) box them (one
em tall from the font's descent), and glyphs outside the stock's safe margin. The tuning set and
the held-out set (other seed, other word lists) are reported separately. Prints one JSON document.

Usage: python bench/overlap.py [--tuning N] [--heldout N] [--examples K]
"""
from __future__ import annotations

import argparse
import collections
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "labels"))

from PIL import Image  # noqa: E402

import studio.labels as L  # noqa: E402
from labels_pdfglyphs import em_overlaps, em_words, glyphs, outside_safe, overlaps  # noqa: E402
from labels_productgen import heldout_set, tuning_set  # noqa: E402


MANDATORY = ("ingredients", "allergen_stmt", "nutrition", "storage", "warning")


def photo() -> Image.Image:
    im = Image.linear_gradient("L").resize((400, 300)).convert("RGB")
    buf = io.BytesIO()
    im.save(buf, "JPEG")
    return Image.open(io.BytesIO(buf.getvalue()))


def run_set(products, layouts, fonts, images, examples: int) -> dict:
    designs = with_overlap = with_outside = glyphs_outside = overlap_pairs = 0
    per_stock = collections.Counter()
    problems = collections.Counter()
    overflow_tags = collections.Counter()
    designs_cut_mandatory = designs_cut_any = with_em_overlap = em_pairs = 0
    em_per_stock = collections.Counter()
    samples: list = []
    for pi, (values, opts) in enumerate(products):
        for lay in layouts.values():
            for style in L.STYLES:
                doc = L.make_document(style, lay, opts)
                label = L.compose(doc, lay, values, fonts, images)
                pdf = L.render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)
                gs = glyphs(pdf)
                ov = overlaps(gs)
                out = outside_safe(gs, lay.label_w_mm, lay.label_h_mm, lay.safe_margin_mm, lay.shape)
                designs += 1
                problems.update(p.code for p in label.problems)
                cut = {p.tag for p in label.problems if p.code == "text_overflow"}
                overflow_tags.update(f"{lay.id}:{t}" for t in cut)
                designs_cut_mandatory += any(t in MANDATORY or t.startswith("pdp.") for t in cut)
                designs_cut_any += bool(cut)
                em = em_overlaps(em_words(pdf))
                if em:
                    with_em_overlap += 1
                    em_pairs += len(em)
                    em_per_stock[lay.id] += 1
                    if len(samples) < examples:
                        a, b, dx, dy = em[0]
                        samples.append({"product": pi, "stock": lay.id, "style": style, "what": "em_overlap",
                                        "a": a.text, "b": b.text, "dy_mm": dy})
                if ov:
                    with_overlap += 1
                    overlap_pairs += len(ov)
                    per_stock[lay.id] += 1
                    if len(samples) < examples:
                        a, b, dx, dy = ov[0]
                        samples.append({"product": pi, "stock": lay.id, "style": style, "what": "overlap",
                                        "a": a.char, "b": b.char, "at_mm": [round(a.x0, 1), round(a.y0, 1)]})
                if out:
                    with_outside += 1
                    glyphs_outside += len(out)
                    if len(samples) < examples:
                        samples.append({"product": pi, "stock": lay.id, "style": style, "what": "outside",
                                        "n": len(out), "at_mm": [round(out[0].x0, 1), round(out[0].y0, 1)]})
    return {"products": len(products), "designs": designs, "designs_with_overlap": with_overlap,
            "overlap_pct": round(100 * with_overlap / max(1, designs), 1), "overlapping_glyph_pairs": overlap_pairs,
            "designs_with_em_box_overlap": with_em_overlap,
            "em_box_overlap_pct": round(100 * with_em_overlap / max(1, designs), 1),
            "overlapping_em_word_pairs": em_pairs,
            "em_overlap_designs_by_stock": dict(sorted(em_per_stock.items())),
            "designs_with_glyphs_outside_safe": with_outside, "glyphs_outside_safe": glyphs_outside,
            "overlap_designs_by_stock": dict(sorted(per_stock.items())),
            "problems_by_code": dict(sorted(problems.items())),
            "designs_with_mandatory_text_overflow": designs_cut_mandatory,
            "designs_with_text_overflow": designs_cut_any,
            "text_overflow_by_stock_and_tag": dict(overflow_tags.most_common(25)), "examples": samples}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tuning", type=int, default=32)
    ap.add_argument("--heldout", type=int, default=8)
    ap.add_argument("--examples", type=int, default=6)
    a = ap.parse_args()
    layouts = L.load_layouts(ROOT / "label_layouts")
    fonts = L.FontRegistry(ROOT / "fonts")
    images = {"photo": photo(), "logo": photo()}
    t = time.perf_counter()
    out = {"stocks": len(layouts), "styles": len(L.STYLES),
           "tuning": run_set(tuning_set(a.tuning), layouts, fonts, images, a.examples),
           "heldout": run_set(heldout_set(a.heldout), layouts, fonts, images, a.examples)}
    out["seconds"] = round(time.perf_counter() - t, 1)
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
