"""Logo maker engine: the SVG is a real vector file, the PNG shows the initials, every choice draws."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from studio.labels.logo import (KINDS, LOGO_FONTS, SHAPES, LogoError, LogoSpec, draw_logo, initials, to_pdf,
                                to_png, to_svg)

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def paths(fonts):
    return {name: fonts.path(name) for name in fonts.names}


def test_initials_leave_out_the_legal_form():
    assert initials("Mbok Sri") == "MS"
    assert initials("UD Sumber Rejeki") == "SR"
    assert initials("keripik") == "K"


def test_svg_parses_and_is_paths_only(paths):
    svg = to_svg(draw_logo(LogoSpec("Mbok Sri", "monogram", "klasik", "circle", "#B3261E"), paths))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg" and root.get("viewBox") == "0 0 100 100"
    assert root.find(f"{SVG_NS}title").text == "Mbok Sri"
    drawn = [el for el in root.iter() if el.tag not in (f"{SVG_NS}svg", f"{SVG_NS}title")]
    assert drawn and all(el.tag == f"{SVG_NS}path" for el in drawn)    # letters are outlines, no <text>
    assert {el.get("fill") for el in drawn} == {"#B3261E", "#FFFFFF"}
    assert all(len(el.get("d")) > 100 for el in drawn)


def test_png_shows_the_initials_in_the_middle(paths):
    png = to_png(draw_logo(LogoSpec("Mbok Sri", "monogram", "tegas", "circle", "#1D4E89"), paths), 600)
    im = Image.open(io.BytesIO(png))
    assert im.mode == "RGBA" and im.size == (600, 600)
    a = np.asarray(im).astype(int)
    assert a[5, 5, 3] == 0                                  # the corner outside the circle is clear
    middle = a[210:390, 120:480]                            # where the initials are
    white = (middle[..., :3].min(axis=2) > 230) & (middle[..., 3] > 250)
    blue = (np.abs(middle[..., :3] - [0x1D, 0x4E, 0x89]).max(axis=2) < 20)
    assert 0.12 < white.mean() < 0.7, white.mean()           # letters there, not a blank disc
    assert blue.mean() > 0.2


def test_badge_initials_are_coloured_on_a_clear_background(paths):
    png = to_png(draw_logo(LogoSpec("Mbok Sri", "monogram", "ramah", "badge", "#2F6B3A"), paths), 400)
    a = np.asarray(Image.open(io.BytesIO(png))).astype(int)
    middle = a[140:260, 100:300]
    inked = middle[..., 3] > 200
    assert 0.12 < inked.mean() < 0.8, inked.mean()


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_and_shape_draws_inside_its_canvas(paths, kind):
    for fonts in LOGO_FONTS:
        for shape in SHAPES:
            d = draw_logo(LogoSpec("Sumber Rejeki", kind, fonts, shape, "#E3A21A", "Jombang"), paths)
            pts = [(op[i], op[i + 1]) for layer in d.layers for op in layer.ops for i in range(1, len(op) - 1, 2)]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            assert min(xs) >= -0.01 and max(xs) <= d.width + 0.01, (fonts, shape)
            assert min(ys) >= -0.01 and max(ys) <= d.height + 0.01, (fonts, shape)


def test_pdf_of_the_logo_has_vector_paths_and_no_image(paths):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = to_pdf(draw_logo(LogoSpec("Mbok Sri", "wordmark", "klasik", "banner", "#5B2A6E"), paths))
    doc = pdfium.PdfDocument(pdf)
    kinds = [obj.type for obj in doc[0].get_objects()]
    doc.close()
    assert kinds and set(kinds) == {pdfium_c.FPDF_PAGEOBJ_PATH}, kinds    # no text, no picture


def test_names_the_fonts_cannot_draw_are_refused(paths):
    with pytest.raises(LogoError) as e:
        draw_logo(LogoSpec("咖啡 Sri", "wordmark", "tegas", "circle", "#B3261E"), paths)
    assert e.value.code == "glyphs" and "咖" in e.value.detail
    with pytest.raises(LogoError) as e:
        draw_logo(LogoSpec("  ..  ", "monogram", "tegas", "circle", "#B3261E"), paths)
    assert e.value.code == "empty"
    with pytest.raises(LogoError) as e:
        draw_logo(LogoSpec("Mbok Sri", "monogram", "tegas", "star", "#B3261E"), paths)
    assert e.value.code == "choice"
    with pytest.raises(LogoError) as e:
        draw_logo(LogoSpec("x" * 40, "wordmark", "tegas", "circle", "#B3261E"), paths)
    assert e.value.code == "too_long"


def _absolute(d: str) -> list[tuple]:
    """Parse the compact relative path data back to absolute ops (the SVG reader's view)."""
    import re as _re
    out, cx, cy, sx, sy = [], 0.0, 0.0, 0.0, 0.0
    for cmd, args in _re.findall(r"([mlcz])([^mlcz]*)", d):
        nums = [float(v) for v in _re.findall(r"-?\d+(?:\.\d+)?", args)]
        if cmd == "z":
            out.append(("Z",))
            cx, cy = sx, sy
            continue
        pts = [v + (cx if i % 2 == 0 else cy) for i, v in enumerate(nums)]
        out.append((cmd.upper(), *pts))
        cx, cy = pts[-2], pts[-1]
        if cmd == "m":
            sx, sy = cx, cy
    return out


def test_compact_path_data_reads_back_to_the_drawing(paths):
    from studio.labels.logo import path_data

    d = draw_logo(LogoSpec("Sumber Rejeki", "wordmark", "klasik", "badge", "#2F6B3A", "Jombang"), paths)
    for layer in d.layers:
        back = _absolute(path_data(layer.ops, 2))
        assert [op[0] for op in back] == [op[0] for op in layer.ops]
        for got, want in zip(back, layer.ops):
            assert all(abs(g - w) <= 0.011 for g, w in zip(got[1:], want[1:])), (got, want)


def test_svg_reads_back_to_the_same_drawing(paths):
    from studio.labels.logo import drawing_from_svg

    d = draw_logo(LogoSpec("Mbok Sri", "monogram", "ringkas", "banner", "#4A2C1D"), paths)
    back = drawing_from_svg(to_svg(d))
    assert (back.width, back.height, back.title) == (d.width, d.height, d.title)
    assert [layer.fill for layer in back.layers] == [layer.fill for layer in d.layers]
    assert [len(layer.ops) for layer in back.layers] == [len(layer.ops) for layer in d.layers]
    assert drawing_from_svg('<svg viewBox="0 0 10 10"><circle r="3"/></svg>') is None
