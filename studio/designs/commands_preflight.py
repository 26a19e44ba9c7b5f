"""``flask --app app studio preflight --product ID [--json]``: the label preflight of a product."""
from __future__ import annotations

import json

import click

from ..cli import studio_cli


@studio_cli.command("preflight")
@click.option("--product", "product_id", type=int, required=True, help="Product id.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", help="Language of the text output.")
@click.option("--layout", "layout_id", default=None,
              help="Check the label as printed on this stock (default: the design's own stock).")
def preflight_cmd(product_id: int, as_json: bool, lang: str, layout_id: str | None) -> None:
    """Check the product's label design against the label rules and print the findings.

    With ``--layout`` the design is composed on that stock (as ``render-sheet --layout`` prints it)
    and checked there; the design's stored findings are left alone."""
    from ..extensions import db
    from ..preflight import blocker_count
    from ..products.models import Product
    from .preflight import preflight_design
    from .services import find_design, set_id_of

    product = db.session.get(Product, product_id)
    if product is None:
        raise click.ClickException(f"product {product_id} not found")
    design = find_design(product)
    if design is None:
        raise click.ClickException(f"product {product_id} has no label design yet")
    if layout_id and layout_id != design.layout_id:
        from .preflight import findings_for, follow_current_revision
        from .prepare import prepare_design
        from .stock import get_layouts

        layout = get_layouts().get(layout_id)
        if layout is None:
            raise click.ClickException(f"unknown layout {layout_id!r}; see 'flask --app app studio layouts'")
        follow_current_revision(design)
        findings = findings_for(prepare_design(design, layout))
        revision_id = design.product_revision_id
        db.session.rollback()       # nothing is stored for another stock
    else:
        findings = preflight_design(design)
        revision_id = design.product_revision_id
    blockers = blocker_count(findings)
    if as_json:
        click.echo(json.dumps({"product_id": product.id, "design_id": design.id,
                               "layout_id": layout_id or design.layout_id,
                               "product_revision_id": revision_id, "blockers": blockers,
                               # a label set is judged as ONE label; each finding names its panel
                               "label_set": set_id_of(design.document),
                               "panels": list(design.document["panels"]) if set_id_of(design.document) else None,
                               "findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2))
    else:
        for f in findings:
            where = (f" [{f.tag}]" if f.tag else "") + (f" ({f.panel})" if f.panel else "")
            click.echo(f"{f.severity:8} {f.rule_id:10}{where} {f.msg.text(lang)}")
        click.echo(f"{len(findings)} findings, {blockers} blockers")
