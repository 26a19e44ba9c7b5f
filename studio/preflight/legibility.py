"""Legibility (spec §2.3, LEG-01/LEG-02): x-height of the smallest text and text contrast (also
against the pixels under the text, see pixels.py)."""
from __future__ import annotations

from ..labels.colors import contrast_ratio
from .context import Ctx, is_mandatory_tag
from .pixels import check_contrast_under_text

_mandatory = is_mandatory_tag


def check_x_height(ctx: Ctx) -> None:
    """LEG-01: every text's x-height >= the setting (mandatory text at the rule's severity,
    other text as INFO)."""
    limit = ctx.settings.rules.x_height_min_mm
    for region in ctx.label.regions.values():
        if region.kind != "text" or not region.text.strip() or region.x_height_mm is None:
            continue
        if region.x_height_mm + 1e-6 >= limit:
            continue
        mandatory = _mandatory(region.tag)
        ctx.add("LEG-01", f"Huruf kecil pada '{region.tag}' hanya {region.x_height_mm:.2f} mm tingginya "
                f"(minimal {limit:g} mm, kira-kira 6 pt). Perbesar hurufnya atau kotaknya, atau kurangi teks.",
                f"Lower-case letters in '{region.tag}' are only {region.x_height_mm:.2f} mm tall (at least "
                f"{limit:g} mm, about 6 pt). Enlarge the text or its box, or shorten the text.",
                region=region, severity=None if mandatory else "INFO")


def check_contrast(ctx: Ctx) -> None:
    """LEG-02: mandatory text against what is under it at least ``contrast_min`` (WCAG ratio): the
    pixels under it where it lies on a photo, decoration or band, else the label colour. Below
    ``contrast_block_min`` it blocks."""
    need = ctx.settings.contrast_min
    measured = check_contrast_under_text(ctx)
    for region in ctx.label.regions.values():
        if region.kind != "text" or not region.text.strip() or not _mandatory(region.tag):
            continue
        if region.tag.split("#", 1)[0] in measured:
            continue
        if not region.color or not region.background:
            continue
        ratio = contrast_ratio(region.color, region.background)
        if ratio + 1e-9 < need:
            ctx.add("LEG-02", f"Teks '{region.tag}' kurang kontras dengan latarnya ({ratio:.1f}:1, perlu "
                    f"{need:g}:1). Pakai warna huruf lebih gelap atau latar lebih terang.",
                    f"Text '{region.tag}' has too little contrast with its background ({ratio:.1f}:1, "
                    f"{need:g}:1 needed). Use a darker text colour or a lighter background.", region=region,
                    severity="BLOCKER" if ratio < ctx.settings.contrast_block_min else None)
