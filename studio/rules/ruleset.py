"""The §5 rule registry (default severities and titles) and the collector the checks write to."""
from __future__ import annotations

from .messages import SEVERITY_ORDER, Finding, Msg, Severity
from .settings import RuleSettings

B, E, W, I = Severity.BLOCKER, Severity.ERROR, Severity.WARNING, Severity.INFO
#: rule id -> (default severity, title id, title en): THE rule table (spec §5). Every rule id is
#: defined once, here or — for rules only a composed label can judge — in the preflight's
#: ``LABEL_RULES`` (studio.preflight.findings), which extends this table and never redefines an id.
#: A single finding may state its own severity (e.g. a data-entry hint at WARNING).
RULES: dict[str, tuple[Severity, str, str]] = {
    "NAME-01": (B, "Nama produk di bagian utama", "Product name on the main panel"),
    "NAME-02": (W, "Kata terlarang di merek", "Forbidden words in the brand"),
    "LANG-01": (E, "Bahasa Indonesia", "Bahasa Indonesia"),
    "ING-01": (E, "Daftar bahan", "Ingredient list"),
    "ING-02": (E, "Urutan dan persentase bahan", "Ingredient order and percentages"),
    "ING-03": (W, "Nama bahan tambahan pangan", "Food additive names"),
    "ING-04": (W, "Persentase bahan utama", "Percentage of the main ingredient"),
    "ALG-01": (E, "Alergen dicetak tebal dan dinyatakan", "Allergens in bold and declared"),
    "NET-01": (B, "Berat/isi bersih di bagian utama", "Net quantity on the main panel"),
    "NET-02": (E, "Kata dan satuan berat/isi", "Net quantity word and unit"),
    "NET-04": (W, "Bobot tuntas", "Drained weight"),
    "PERMIT-01": (B, "Nomor izin edar di bagian utama", "Permit number on the main panel"),
    "PERMIT-02": (E, "Nomor P-IRT", "P-IRT number"),
    "PERMIT-03": (E, "Produk boleh P-IRT?", "Eligible for P-IRT?"),
    "HALAL-01": (E, "Kewajiban halal", "Halal obligation"),
    "HALAL-03": (E, "Nomor sertifikat halal", "Halal certificate number"),
    "HALAL-05": (B, "Produk mengandung babi", "Pork product"),
    "DATE-01": (E, "Tanggal dan kode produksi", "Production date and code"),
    "DATE-04": (E, "Umur simpan dan tanggal", "Shelf life and dates"),
    "STOR-01": (W, "Cara penyimpanan", "Storage instructions"),
    "NUT-01": (E, "Informasi Nilai Gizi", "Nutrition facts"),
    "NUT-02": (E, "Angka gizi", "Nutrition values"),
    "WARN-01": (E, "Peringatan wajib", "Mandatory warnings"),
    "CLAIM-01": (E, "Klaim", "Claims"),
    "CODE-01": (E, "Barcode EAN-13", "EAN-13 barcode"),
    "LIST-01": (W, "Deskripsi katalog", "Listing description"),
}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most serious first; duplicates (same rule, field and text) removed."""
    seen: set[tuple[str, str | None, str]] = set()
    unique = []
    for f in findings:
        key = (f.rule_id, f.field, f.msg.id)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return sorted(unique, key=lambda f: SEVERITY_ORDER.get(Severity(f.severity), 9))


class Collector:
    """Collects findings, applying severity overrides and the include-missing switch."""

    def __init__(self, settings: RuleSettings, include_missing: bool,
                 errors: dict[str, Msg] | None = None) -> None:
        self.items: list[Finding] = []
        self.settings = settings
        self.include_missing = include_missing
        self.errors = errors or {}      # fields given but invalid (normalise's errors): not "missing"

    def add(self, rule_id: str, field: str | None, id_text: str, en_text: str, *,
            severity: Severity | None = None, missing: bool = False) -> None:
        if missing and not self.include_missing:
            return
        if missing and field in self.errors:    # filled in, but wrongly: say what is wrong with it
            id_text, en_text = self.errors[field].id, self.errors[field].en
        sev = self.settings.severity(rule_id, severity or RULES[rule_id][0])
        self.items.append(Finding(rule_id, sev, Msg(id_text, en_text), field))

    def extend(self, rule_id: str, found: list[Finding] | tuple[Finding, ...]) -> None:
        for f in found:
            self.items.append(f.with_severity(self.settings.severity(rule_id, f.severity)))
