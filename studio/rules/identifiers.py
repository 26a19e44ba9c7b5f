"""Permit and code numbers: P-IRT, halal certificate, NIB, BPOM MD/ML, POM TR, GTIN (spec §3)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import RuleError
from .kinds import PACKAGING_NAMES_ID, PIRT_FOOD_CODES
from .messages import Finding, Msg, Severity
from .settings import DEFAULT_SETTINGS, RuleSettings

_PIRT_PREFIX = re.compile(r"^\s*(p\s*-?\s*irt|pirt)?\s*(no\.?|nomor|nomer)?\s*[:.]?\s*", re.I)
_PIRT_EXAMPLE = "2063517010012-29"


@dataclass(frozen=True)
class PirtInfo:
    """A parsed P-IRT number. ``number`` is "2063517010012-29"; ``label_text`` is what is printed."""

    digits: str
    packaging_code: str
    packaging: str
    food_code: str
    regency_code: str
    product_seq: str
    irtp_seq: str
    expiry_year: int
    warnings: tuple[Finding, ...] = ()

    @property
    def number(self) -> str:
        return f"{self.digits[:-2]}-{self.digits[-2:]}"

    @property
    def label_text(self) -> str:
        return f"P-IRT No. {self.number}"


def _pirt_error(code: str, id_text: str, en_text: str, suggestion: str | None = None) -> RuleError:
    return RuleError("pirt_number", code, Msg(id_text, en_text), suggestion)


def parse_pirt(s: object, today: date, settings: RuleSettings = DEFAULT_SETTINGS, *,
               regency_code: str | None = None, check_expiry: bool = True) -> PirtInfo:
    """Read and check a P-IRT number ("P-IRT No. 2063517010012-29", "206351701001229").

    Digits: d1 packaging, d2–3 jenis pangan, d4–7 regency, d8–9 product sequence, d10–13 IRTP
    sequence, last two = year the SPP-IRT expires. The exact expiry day is not in the number, so
    the soon-expiring warning counts from 1 January of that year (the earliest it can end).

    :param regency_code: the producer's regency (default ``settings.regency_code``, Jombang 3517).
    :param check_expiry: False skips the expired-year error (a stored record keeps its number
        and the preflight reports the expiry instead).
    :returns: a PirtInfo whose ``warnings`` hold PERMIT-02 findings (soon expiring, other regency,
        unknown food code, 16-digit number).
    :raises RuleError: on field ``pirt_number``: ``required``, ``pirt_chars``, ``pirt_old_format``,
        ``pirt_length``, ``pirt_year_digits`` (13 digits, a separator and a 3- or 4-digit year:
        not read as a 16-digit number), ``pirt_packaging``, ``pirt_expired``.
    """
    text = str(s or "").strip()
    if not text:
        raise _pirt_error("required", "Isi nomor P-IRT dari sertifikat SPP-IRT.",
                          "Enter the P-IRT number from the SPP-IRT certificate.")
    body = _PIRT_PREFIX.sub("", text, count=1)
    _check_year_part(body)
    body = re.sub(r"[\s\-./]", "", body)
    if not body.isdigit() or not body.isascii():
        raise _pirt_error("pirt_chars",
                          f"Nomor P-IRT hanya berisi angka, contoh: {_PIRT_EXAMPLE}.",
                          f"A P-IRT number has digits only, for example {_PIRT_EXAMPLE}.")
    n = len(body)
    warnings: list[Finding] = []
    if n == 12:
        raise _pirt_error("pirt_old_format",
                          "Ini nomor P-IRT model lama (12 angka). Nomor sekarang 15 angka "
                          f"(13 angka + 2 angka tahun), contoh {_PIRT_EXAMPLE}. Perbarui SPP-IRT lewat OSS.",
                          "This is an old-style P-IRT number (12 digits). Current numbers have 15 "
                          f"digits (13 + 2 for the year), e.g. {_PIRT_EXAMPLE}. Renew the SPP-IRT in OSS.")
    if n == 16 and settings.pirt_accept_16_digits:
        warnings.append(Finding("PERMIT-02", Severity.WARNING, Msg(
            "Nomor P-IRT 16 angka belum pasti benar. Minta pendamping mencocokkan dengan sertifikat.",
            "A 16-digit P-IRT number is not confirmed yet. Ask your trainer to check it against "
            "the certificate."), "pirt_number"))
    elif n != 15:
        raise _pirt_error("pirt_length",
                          f"Nomor P-IRT harus 15 angka (13 angka + 2 angka tahun), contoh "
                          f"{_PIRT_EXAMPLE}. Yang Anda tulis {n} angka. Cocokkan lagi dengan sertifikat SPP-IRT.",
                          f"A P-IRT number has 15 digits (13 + 2 for the year), e.g. {_PIRT_EXAMPLE}. "
                          f"You typed {n} digits. Check it against the SPP-IRT certificate.")
    packaging = body[0]
    if packaging not in PACKAGING_NAMES_ID:
        raise _pirt_error("pirt_packaging",
                          f"Angka pertama nomor P-IRT (kode kemasan) harus 1 sampai 8, bukan {packaging}. "
                          "Cocokkan lagi dengan sertifikat.",
                          f"The first digit of a P-IRT number (packaging code) must be 1 to 8, not "
                          f"{packaging}. Check it against the certificate.")
    year = 2000 + int(body[-2:])
    if year < today.year and check_expiry:
        raise _pirt_error("pirt_expired",
                          f"SPP-IRT ini sudah habis (berlaku sampai tahun {year}). Perpanjang SPP-IRT "
                          "lewat OSS sebelum mencetak label.",
                          f"This SPP-IRT has expired (valid until {year}). Renew it in OSS before "
                          "printing labels.")
    earliest_end = date(year, 1, 1)
    warn_from = _add_months(earliest_end, -settings.pirt_warn_months)
    if today >= warn_from:
        if year == today.year:
            msg = Msg(f"SPP-IRT habis tahun ini ({year}). Lihat tanggalnya di sertifikat dan segera "
                      "perpanjang lewat OSS.",
                      f"The SPP-IRT ends this year ({year}). Check the date on the certificate and "
                      "renew it in OSS now.")
        else:
            msg = Msg(f"SPP-IRT habis tahun {year}. Lihat tanggalnya di sertifikat; perpanjang paling "
                      f"lambat {settings.pirt_warn_months} bulan sebelumnya.",
                      f"The SPP-IRT ends in {year}. Check the date on the certificate; renew at least "
                      f"{settings.pirt_warn_months} months before.")
        warnings.append(Finding("PERMIT-02", Severity.WARNING, msg, "pirt_number"))
    food_code = body[1:3]
    if food_code not in PIRT_FOOD_CODES:
        warnings.append(Finding("PERMIT-02", Severity.WARNING, Msg(
            f"Angka ke-2 dan ke-3 nomor P-IRT ({food_code}) bukan kode jenis pangan 01–16. "
            "Cocokkan lagi dengan sertifikat.",
            f"Digits 2–3 of the P-IRT number ({food_code}) are not a food-type code 01–16. "
            "Check it against the certificate."), "pirt_number"))
    regency = body[3:7]
    expected = regency_code or settings.regency_code
    if expected and regency != expected:
        warnings.append(Finding("PERMIT-02", Severity.WARNING, Msg(
            f"Kode wilayah di nomor P-IRT ({regency}) bukan kode kabupaten Anda ({expected}). "
            "P-IRT hanya berlaku di kabupaten tempat produksi; cocokkan dengan sertifikat.",
            f"The regency code in the P-IRT number ({regency}) is not your regency ({expected}). "
            "A P-IRT is valid only where you produce; check the certificate."), "pirt_number"))
    return PirtInfo(digits=body, packaging_code=packaging, packaging=PACKAGING_NAMES_ID[packaging],
                    food_code=food_code, regency_code=regency, product_seq=body[7:9],
                    irtp_seq=body[9:-2], expiry_year=year, warnings=tuple(warnings))


def _check_year_part(body: str) -> None:
    """Refuse "2063517010012-029": 13 digits, a separator and a 3- or 4-digit year.

    Run together, those digits would look like a 16- (or 17-) digit number; but where the typist put
    the separator shows the last part is the year, which the number writes with 2 digits.
    """
    parts = [p for p in re.split(r"[\s\-./]+", body.strip()) if p]
    if len(parts) < 2 or not all(p.isascii() and p.isdigit() for p in parts):
        return
    year_part, head = parts[-1], "".join(parts[:-1])
    if len(head) != 13 or len(year_part) not in (3, 4):
        return
    yy = year_part[-2:]
    fits = (len(year_part) == 3 and year_part[0] == "0") or (len(year_part) == 4 and year_part[:2] == "20")
    suggestion = f"{head}-{yy}" if fits else None
    hint_id = f" Mungkin maksudnya {suggestion}." if suggestion else ""
    hint_en = f" Perhaps you mean {suggestion}." if suggestion else ""
    raise _pirt_error(
        "pirt_year_digits",
        f"Tahun di ujung nomor P-IRT ditulis 2 angka, contoh {_PIRT_EXAMPLE}. Yang Anda tulis "
        f"{len(year_part)} angka ({year_part}).{hint_id} Cocokkan lagi dengan sertifikat SPP-IRT.",
        f"The year at the end of a P-IRT number has 2 digits, e.g. {_PIRT_EXAMPLE}. You typed "
        f"{len(year_part)} digits ({year_part}).{hint_en} Check it against the SPP-IRT certificate.",
        suggestion)


#: A P-IRT number on a label: the "P-IRT No." prefix and a run of digits (with "-", "." or spaces);
#: how many digits are right is decided by :func:`parse_pirt`, the same as for the product data.
PIRT_ON_LABEL = re.compile(r"P-IRT\s*No\.?\s*:?\s*(\d(?:[\d.\-]|\s(?=\d))*\d)", re.I)


def find_pirt_on_label(text: str, today: date, settings: RuleSettings = DEFAULT_SETTINGS, *,
                       regency_code: str | None = None) -> tuple[str, PirtInfo] | None:
    """The P-IRT number printed in ``text`` and its parse, by the one rule the data uses.

    :returns: ``(printed text, info)``, or None when no "P-IRT No." followed by digits is printed.
    :raises RuleError: when the printed number breaks a rule of :func:`parse_pirt` (so a 16-digit
        number passes with a warning exactly when the data rules accept it).
    """
    m = PIRT_ON_LABEL.search(str(text or ""))
    if not m:
        return None
    return m.group(0), parse_pirt(m.group(1), today, settings, regency_code=regency_code)


def _add_months(d: date, months: int) -> date:
    idx = d.year * 12 + (d.month - 1) + months
    return date(idx // 12, idx % 12 + 1, 1) if d.day == 1 else date(idx // 12, idx % 12 + 1, min(d.day, 28))


def validate_halal_cert(s: object, settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """Check a BPJPH halal certificate (SH) number: "ID" + 17 digits ⚠; returns it normalised.

    :raises RuleError: on ``halal_cert_number``: ``required``, ``halal_kh`` (a Ketetapan Halal
        number, which must not be printed), ``halal_format``.
    """
    text = re.sub(r"[\s\-.]", "", str(s or "")).upper()
    if not text:
        raise RuleError("halal_cert_number", "required", Msg(
            "Isi nomor sertifikat halal (diawali ID) dari sertifikat BPJPH.",
            "Enter the halal certificate number (starting with ID) from the BPJPH certificate."))
    if text.startswith("KH") or "/KH" in text or re.search(r"\bKH\b", str(s).upper()):
        raise RuleError("halal_cert_number", "halal_kh", Msg(
            "Ini nomor Ketetapan Halal (KH), bukan nomor sertifikat. Di label ditulis nomor "
            "Sertifikat Halal yang diawali ID. Lihat sertifikat halal dari BPJPH/SIHALAL.",
            "This is a halal decree (KH) number, not the certificate number. The label needs the "
            "halal certificate number that starts with ID. See the BPJPH/SIHALAL certificate."))
    if not re.fullmatch(settings.halal_cert_regex, text):
        raise RuleError("halal_cert_number", "halal_format", Msg(
            "Nomor sertifikat halal diawali ID lalu 17 angka, contoh: ID35110000123450824. "
            "Cocokkan dengan sertifikat dari BPJPH.",
            "A halal certificate number is ID followed by 17 digits, e.g. ID35110000123450824. "
            "Check it against the BPJPH certificate."))
    return text


def validate_nib(s: object) -> str:
    """Check a NIB (Nomor Induk Berusaha): 13 digits, no check digit. Returns the digits.

    :raises RuleError: on ``nib``: ``required`` or ``nib_format``.
    """
    text = re.sub(r"[\s\-.]", "", str(s or ""))
    if not text:
        raise RuleError("nib", "required", Msg("Isi NIB (13 angka) dari OSS.",
                                               "Enter the NIB (13 digits) from OSS."))
    if not (text.isdigit() and text.isascii() and len(text) == 13):
        n = sum(c.isdigit() for c in text)
        raise RuleError("nib", "nib_format", Msg(
            f"NIB harus 13 angka. Yang Anda tulis {n} angka. Lihat lagi di dokumen NIB dari OSS.",
            f"A NIB has 13 digits. You typed {n}. Check the NIB document from OSS."))
    return text


def validate_bpom(s: object, settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """Check a BPOM food registration number; returns it as printed: "BPOM RI MD 123456789012".

    :raises RuleError: on ``bpom_number``: ``required`` or ``bpom_format``.
    """
    raw = str(s or "").upper()
    m = re.fullmatch(r"\s*(?:BPOM\s*)?(?:RI\s*)?(MD|ML)\s*[:.]?\s*([\d\s.\-]+)\s*", raw)
    if not raw.strip():
        raise RuleError("bpom_number", "required", Msg(
            "Isi nomor izin edar BPOM, contoh: BPOM RI MD 123456789012.",
            "Enter the BPOM registration number, e.g. BPOM RI MD 123456789012."))
    text = f"BPOM RI {m.group(1)} {re.sub(r'[^0-9]', '', m.group(2))}" if m else raw.strip()
    if not re.fullmatch(settings.bpom_regex, text):
        raise RuleError("bpom_number", "bpom_format", Msg(
            "Nomor BPOM ditulis BPOM RI MD (buatan dalam negeri) atau ML (impor) lalu 12 angka, "
            "contoh: BPOM RI MD 123456789012. Cocokkan dengan surat izin edar.",
            "A BPOM number is BPOM RI MD (made in Indonesia) or ML (imported) and 12 digits, e.g. "
            "BPOM RI MD 123456789012. Check it against the registration letter."))
    return text


def validate_pom_tr(s: object, settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """Check a traditional-medicine (jamu) number; returns it as printed: "POM TR 123456789".

    :raises RuleError: on ``pom_tr_number``: ``required`` or ``pom_tr_format``.
    """
    raw = str(s or "").upper()
    if not raw.strip():
        raise RuleError("pom_tr_number", "required", Msg(
            "Isi nomor izin edar jamu, contoh: POM TR 123456789.",
            "Enter the jamu registration number, e.g. POM TR 123456789."))
    m = re.fullmatch(r"\s*POM\s*\.?\s*([A-Z]{2})\s*[:.]?\s*([\d\s.\-]+)\s*", raw)
    text = f"POM {m.group(1)} {re.sub(r'[^0-9]', '', m.group(2))}" if m else raw.strip()
    if not re.fullmatch(settings.pom_tr_regex, text):
        raise RuleError("pom_tr_number", "pom_tr_format", Msg(
            "Nomor izin jamu ditulis POM, 2 huruf, lalu 9 angka, contoh: POM TR 123456789.",
            "A jamu registration number is POM, 2 letters and 9 digits, e.g. POM TR 123456789."))
    return text


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit for a GTIN body (the code without its last digit)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True for a GTIN-8/12/13/14 whose check digit is right."""
    return (isinstance(code, str) and code.isascii() and code.isdigit()
            and len(code) in (8, 12, 13, 14) and gtin_check_digit(code[:-1]) == int(code[-1]))


def validate_gtin(s: object) -> str:
    """Check a barcode number (EAN-13 and other GTINs); returns the digits.

    :raises RuleError: on ``gtin``: ``gtin_format`` or ``gtin_check`` (the message names the right
        last digit; ``suggestion`` is the corrected number).
    """
    text = re.sub(r"[\s\-]", "", str(s or ""))
    if not (text.isascii() and text.isdigit() and len(text) in (8, 12, 13, 14)):
        raise RuleError("gtin", "gtin_format", Msg(
            "Nomor barcode harus 13 angka (EAN-13), seperti di bawah garis barcode.",
            "A barcode number has 13 digits (EAN-13), as printed under the bars."))
    right = gtin_check_digit(text[:-1])
    if right != int(text[-1]):
        fixed = text[:-1] + str(right)
        raise RuleError("gtin", "gtin_check", Msg(
            f"Angka terakhir barcode salah: harus {right}, bukan {text[-1]} ({fixed}). "
            "Periksa lagi nomor dari GS1 Indonesia; mungkin ada angka yang salah ketik.",
            f"The last digit of the barcode is wrong: it must be {right}, not {text[-1]} ({fixed}). "
            "Check the number from GS1 Indonesia; a digit may be mistyped."), fixed)
    return text
