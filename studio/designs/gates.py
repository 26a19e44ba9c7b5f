"""What every gate (send for review, approve, print queue, print job, publish) checks on the
server, in one place: the one blocking rule on a label's findings (:func:`preflight.blocking`), the
fresh preflight of a frozen version (its own document, stock snapshot and product revision), the
public catalogue address the QR opens, and the official halal logo of a halal-certified product.

Every check answers with the words the refusal shows (Bahasa Indonesia, or English when chosen):
what to fix and where. Services raise them as ``Invalid``/``Conflict``.
"""
from __future__ import annotations

from typing import Any, Iterable

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..errors import Invalid
from ..extensions import db
from ..labels import DesignOptions, DocumentError, SheetLayout
from ..preflight import RULES, LabelFinding, blocking
from ..products.models import Product, ProductRevision
from ..site import HOW_TO_FIX, public_base_url, public_url_problem
from . import assets
from .models import AssetKind, DesignVersion
from .preflight import checked_findings
from .prepare import prepare_design
from .source import source_of_version
from ..products.record import product_record

#: how many blocking problems a refusal names (the rest are counted)
NAMED_PROBLEMS = 3

#: what producers call each element of a label (the same words as the editor's)
PART_NAMES = {
    "brand": _l("Merek"), "pdp.name": _l("Nama produk"), "variant": _l("Varian"),
    "pdp.net_qty": _l("Berat bersih"), "photo": _l("Foto"), "logo": _l("Logo usaha"), "qr": _l("Kode QR"),
    "qr.caption": _l("Keterangan QR"), "ean": _l("Barcode"), "price": _l("Harga"),
    "ingredients": _l("Komposisi"), "allergen_stmt": _l("Alergen"), "storage": _l("Penyimpanan"),
    "nutrition": _l("Informasi Nilai Gizi"), "pdp.producer": _l("Produsen"), "pdp.permit": _l("Izin edar"),
    "pdp.halal": _l("Nomor halal"), "halal_logo": _l("Logo halal"), "pdp.expiry": _l("Kedaluwarsa"),
    "expiry_box": _l("Kotak cap produksi"), "background": _l("Latar label"), "tagline": _l("Slogan"),
}


def locale() -> str:
    """The user's language ("id" outside a request, e.g. on the command line)."""
    try:
        return str(get_locale() or "id")
    except Exception:   # noqa: BLE001 (no request/app context: Babel's selector needs one)
        return "id"


def _as_finding(f: LabelFinding | dict[str, Any]) -> LabelFinding:
    if isinstance(f, LabelFinding):
        return f
    if not f.get("rule_id") and str(f.get("code") or "") in RULES:     # a finding stored by rule id only
        f = {**f, "rule_id": f["code"]}
    return LabelFinding.from_dict(f)


def problem_words(f: LabelFinding | dict[str, Any], loc: str | None = None) -> str:
    """One blocking problem in plain words: "<what>: <what to do>" (no rule ids, no severities)."""
    finding = _as_finding(f)
    loc = loc or locale()
    title = finding.title.text(loc)
    text = finding.msg.text(loc).strip()
    if finding.tag:         # engine messages name the element by its document tag: use the producer's word
        tag = finding.tag.split("#")[0]
        text = text.replace(f"'{finding.tag}'", f"“{PART_NAMES.get(tag, tag)}”")
    if not text:
        return title
    first = title.split()[0].lower() if title.split() else ""
    if title == finding.rule_id or text.lower().startswith(first):     # the message already says what
        return text
    return f"{title}: {text}"


def blocking_summary(findings: Iterable[LabelFinding | dict[str, Any]] | None) -> tuple[int, str]:
    """(number of blocking findings, the first few named, "…and N more") for a refusal message."""
    found = blocking(findings)
    loc = locale()
    words: list[str] = []
    for f in found:
        w = problem_words(f, loc).rstrip(".")
        if w not in words:
            words.append(w)
    shown = "; ".join(words[:NAMED_PROBLEMS])
    if len(words) > NAMED_PROBLEMS:
        shown += str(_l(" (dan %(n)d lainnya)", n=len(words) - NAMED_PROBLEMS))
    return len(found), shown


def blocking_message(findings, fix_where: str) -> str | None:
    """The refusal for a label with blocking findings, or None when nothing blocks.

    ``fix_where``: who fixes it and where (a sentence), e.g. "Perbaiki di langkah Desain, lalu kirim lagi."
    """
    n, shown = blocking_summary(findings)
    if not n:
        return None
    return str(_l("Label masih punya %(n)d masalah yang harus diperbaiki: %(list)s.", n=n, list=shown)) \
        + " " + fix_where


def fix_in_design() -> str:
    return str(_l("Perbaiki di langkah Desain, lalu kirim lagi."))


def fix_by_producer() -> str:
    return str(_l("Produsen memperbaikinya di langkah Desain dan mengirim versi baru untuk ditinjau."))


# ------------------------------------------------------------------------------ frozen versions
def recheck_version(version: DesignVersion, layout: SheetLayout | None = None, *,
                    printer_dpi: int | None = None, check_codes: bool = True) -> list[LabelFinding]:
    """The preflight of exactly what ``version`` froze: its document on its stock snapshot (or on
    ``layout``, a sheet with the same label) with its product data revision, as it comes out today.
    Composed and checked only when these inputs were not checked before (content-hash cache:
    :func:`.preflight.checked_findings`; the same day, settings and code give the same findings)."""
    r = prepare_design(source_of_version(version), layout, compose_now=False, printer_dpi=printer_dpi)
    return checked_findings(r, check_codes=check_codes, printer_dpi=printer_dpi)


# ------------------------------------------------------------------------------ print and publish
def public_address_problem() -> str | None:
    """Why the QR codes could not be opened by a buyer (the public address), with how to fix it."""
    msg = public_url_problem(public_base_url())
    if msg is None:
        return None
    loc = locale()
    return f"{msg.text(loc)} {HOW_TO_FIX.text(loc)}"


def _options(options: dict | None) -> DesignOptions:
    try:
        return DesignOptions.from_dict(options or {})
    except (DocumentError, TypeError):
        return DesignOptions()


def halal_problem(product: Product, revision: ProductRevision | None, options: dict | None, *,
                  halal_logo_uploaded: bool | None = None) -> str | None:
    """A halal-certified product is printed and published only with the official Label Halal
    Indonesia and its certificate number: the logo file must be uploaded (an admin) and the label
    must show the halal mark (the producer's design). ``halal_logo_uploaded``: already known (a
    list asks once for all its rows), else looked up."""
    clean = product_record(revision)
    if str(clean.get("halal_status") or "") != "certified":
        return None
    if halal_logo_uploaded is None:
        halal_logo_uploaded = assets.current_asset(AssetKind.HALAL_LOGO) is not None
    if not halal_logo_uploaded:
        return str(_l("Produk ini bersertifikat halal, tetapi logo Halal Indonesia resmi belum diunggah. "
                      "Admin mengunggahnya di halaman Logo halal resmi (menu Admin), lalu coba lagi."))
    opts = _options(options)
    if not (opts.show_halal and opts.halal_logo):
        return str(_l("Produk ini bersertifikat halal, tetapi label ini tidak menampilkan logo halal dan "
                      "nomor sertifikatnya. Produsen menyalakan “Logo halal resmi” di langkah Desain dan "
                      "mengirim versi baru untuk ditinjau."))
    return None


def release_problems(product: Product, version: DesignVersion | None, *,
                     halal_logo_uploaded: bool | None = None) -> list[str]:
    """What stops an approved label from leaving the hub (printed or published), in the words the
    refusal shows: a blocking finding stored with the version (the one blocking rule), a QR address
    buyers cannot open, a halal-certified product without the official halal logo. The caller adds
    its own conditions (approved at all, permits)."""
    out: list[str] = []
    if version is not None:
        refusal = blocking_message(version.findings, fix_by_producer())
        if refusal:
            out.append(refusal)
    address = public_address_problem()
    if address:
        out.append(address)
    revision = None
    if version is not None and version.product_revision_id:
        revision = db.session.get(ProductRevision, version.product_revision_id)
    elif version is None:
        revision = product.current_revision
    halal = halal_problem(product, revision, version.options if version is not None else None,
                          halal_logo_uploaded=halal_logo_uploaded)
    if halal:
        out.append(halal)
    return out


# ------------------------------------------------------------------------------ command line
class LabelBlocked(Invalid):
    """The label, composed on the stock it would be printed on, has blocking findings."""

    def __init__(self, message: str, findings: list[LabelFinding]) -> None:
        super().__init__(message, field="layout_id")
        self.findings = findings


def check_design_on_stock(design, layout: SheetLayout | None = None, *,
                          printer_dpi: int | None = None) -> list[LabelFinding]:
    """The preflight of a working design composed on ``layout`` (default its own stock): the
    stock actually printed. Nothing is stored on the design.

    :raises LabelBlocked: a blocking finding on that stock (``.findings`` has them all).
    """
    r = prepare_design(design, layout, compose_now=False, printer_dpi=printer_dpi)
    findings = checked_findings(r, printer_dpi=printer_dpi)
    refusal = blocking_message(findings, str(_l("Perbaiki desain untuk stok ini (%(stock)s), lalu coba lagi.",
                                                  stock=r.layout.name)))
    if refusal:
        raise LabelBlocked(refusal, findings)
    return findings


def finding_lines(findings: Iterable[LabelFinding], lang: str = "id") -> list[str]:
    """Findings as command-line lines: severity, rule, [element] message."""
    return [f"{f.severity:8} {f.rule_id:10}{f' [{f.tag}]' if f.tag else ''} {f.msg.text(lang)}" for f in findings]
