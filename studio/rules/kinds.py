"""The enumerations every rule is keyed on (product class, physical state, category, …)."""
from __future__ import annotations

from enum import StrEnum


class ProductClass(StrEnum):
    """Decides the rule set (spec §1): which permit, whether BPOM food rules apply."""

    PANGAN_PIRT = "pangan_pirt"            # home-industry food with a P-IRT number
    PANGAN_BPOM = "pangan_bpom"            # processed food with BPOM RI MD/ML
    OBAT_TRADISIONAL = "obat_tradisional"  # jamu with efficacy claims: POM TR…
    KERAJINAN = "kerajinan"                # crafts: only BDKT quantity rules
    LAINNYA = "lainnya"                    # other non-food goods

    @property
    def is_food(self) -> bool:
        return self in (ProductClass.PANGAN_PIRT, ProductClass.PANGAN_BPOM)


class PhysicalState(StrEnum):
    """Drives the net-quantity wording (spec §2.4)."""

    PADAT = "padat"                            # solid: Berat Bersih, g/kg
    CAIR = "cair"                              # liquid: Isi Bersih, ml/L
    SEMI_PADAT = "semi_padat"                  # sambal, selai, madu: word follows the unit ⚠
    PADAT_DALAM_CAIRAN = "padat_dalam_cairan"  # acar, manisan in syrup: + Bobot Tuntas


class Category(StrEnum):
    """Product categories the studio trains for."""

    KERIPIK = "keripik"
    KOPI = "kopi"
    SAMBAL = "sambal"
    MADU = "madu"
    KUE_KERING = "kue_kering"
    MINUMAN_SERBUK = "minuman_serbuk"
    JAMU = "jamu"
    KERAJINAN = "kerajinan"
    LAINNYA = "lainnya"


class PermitType(StrEnum):
    """Izin edar (spec §4.6)."""

    PIRT = "PIRT"
    MD = "MD"
    ML = "ML"
    POM_TR = "POM_TR"
    NONE = "none"


class HalalStatus(StrEnum):
    CERTIFIED = "certified"
    NOT_HALAL = "not_halal"
    IN_PROCESS = "in_process"


class PackagingMaterial(StrEnum):
    """Primary packaging; its P-IRT digit is the value of :data:`PIRT_PACKAGING_DIGIT`."""

    GELAS = "gelas"
    PLASTIK = "plastik"
    KARTON_KERTAS = "karton_kertas"
    KALENG = "kaleng"
    ALUFOIL = "alufoil"
    LAIN = "lain"
    KOMPOSIT = "komposit"
    GANDA = "ganda"


PIRT_PACKAGING_DIGIT: dict[PackagingMaterial, str] = {
    PackagingMaterial.GELAS: "1", PackagingMaterial.PLASTIK: "2",
    PackagingMaterial.KARTON_KERTAS: "3", PackagingMaterial.KALENG: "4",
    PackagingMaterial.ALUFOIL: "5", PackagingMaterial.LAIN: "6",
    PackagingMaterial.KOMPOSIT: "7", PackagingMaterial.GANDA: "8"}

#: Indonesian names of the packaging digits, as printed on permits.
PACKAGING_NAMES_ID: dict[str, str] = {
    "1": "gelas", "2": "plastik", "3": "karton/kertas", "4": "kaleng", "5": "aluminium foil",
    "6": "lain-lain (mis. daun)", "7": "komposit", "8": "ganda"}

#: P-IRT jenis pangan codes (2018 list; spec §3).
PIRT_FOOD_CODES: dict[str, str] = {
    "01": "olahan daging kering", "02": "olahan ikan kering", "03": "olahan unggas kering",
    "04": "sayur asin/kering", "05": "olahan kelapa", "06": "tepung dan hasil olahnya",
    "07": "minyak dan lemak", "08": "selai, jeli", "09": "gula, kembang gula, madu",
    "10": "kopi, teh, coklat kering", "11": "bumbu", "12": "rempah",
    "13": "minuman ringan/serbuk", "14": "olahan buah", "15": "olahan biji-bijian, kacang, umbi",
    "16": "lain-lain"}

#: Food codes that fit each category (WARNING when the P-IRT code is none of them).
CATEGORY_FOOD_CODES: dict[Category, frozenset[str]] = {
    Category.KERIPIK: frozenset({"02", "04", "06", "14", "15", "16"}),
    Category.KOPI: frozenset({"10"}),
    Category.SAMBAL: frozenset({"11", "12", "08", "16"}),
    Category.MADU: frozenset({"09"}),
    Category.KUE_KERING: frozenset({"06", "16"}),
    Category.MINUMAN_SERBUK: frozenset({"13", "10"}),
    Category.JAMU: frozenset({"13", "12"}),
}

#: Default physical state per category, used when the producer leaves it empty.
CATEGORY_DEFAULT_STATE: dict[Category, PhysicalState] = {
    Category.KERIPIK: PhysicalState.PADAT, Category.KOPI: PhysicalState.PADAT,
    Category.SAMBAL: PhysicalState.SEMI_PADAT, Category.MADU: PhysicalState.SEMI_PADAT,
    Category.KUE_KERING: PhysicalState.PADAT, Category.MINUMAN_SERBUK: PhysicalState.PADAT,
    Category.JAMU: PhysicalState.PADAT}
