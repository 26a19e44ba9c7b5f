from __future__ import annotations

import ast
from pathlib import Path

from studio.labels.templates import BODY_MIN_PT, FONT_PAIRINGS
from studio.labels.units import PT_TO_MM

ENGINE = Path(__file__).resolve().parents[2] / "studio" / "labels"
BANNED = {"flask", "flask_wtf", "wtforms", "sqlalchemy", "flask_sqlalchemy", "flask_login", "flask_babel", "studio"}


def test_the_label_engine_imports_no_web_or_database_code():
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level != 1:
                names = [node.module if node.level == 0 else "studio"]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in BANNED, f"{path.name} imports {name}"


def test_template_pairings_match_fonts_toml_and_body_text_stays_legible(fonts):
    assert {p.id: (p.heading, p.body) for p in fonts.pairings} == FONT_PAIRINGS
    assert len(FONT_PAIRINGS) >= 3
    for _heading, body in FONT_PAIRINGS.values():
        x_height_mm = BODY_MIN_PT[body] * PT_TO_MM * fonts.metrics(body).x_height
        assert x_height_mm >= 0.99, (body, x_height_mm)
    # the condensed face an all-in-one sticker's information block falls back to, judged on its own
    # x-height (the TTF's, equal to the outline of "x")
    from studio.labels.arrange import INFO_COND_FONT, INFO_COND_MIN_PT
    assert fonts.family(INFO_COND_FONT) == "Noto Sans Condensed"
    assert INFO_COND_MIN_PT * PT_TO_MM * fonts.metrics(INFO_COND_FONT).x_height >= 0.99
    assert fonts.metrics(fonts.bold_of(INFO_COND_FONT)).x_height >= fonts.metrics(INFO_COND_FONT).x_height


def test_bundled_fonts_cover_indonesian_text_and_are_small(fonts):
    from reportlab.pdfbase import pdfmetrics
    for name in fonts.names:
        face = pdfmetrics.getFont(fonts.rl_name(name)).face
        for ch in "AaZz09%é–·±Rp.,:;()":
            assert ord(ch) in face.charToGlyph, (name, ch)
    total = sum(p.stat().st_size for p in (ENGINE.parents[1] / "fonts").rglob("*"))
    assert total < 8_000_000
