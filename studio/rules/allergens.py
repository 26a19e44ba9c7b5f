"""Allergen dictionary (Bahasa Indonesia + English), detection, bold emphasis and statements.

Spec §2.6 (Pasal 49): gluten cereals, telur, ikan, krustasea, moluska, kacang tanah, kedelai, susu,
kacang pohon (tree nuts), sulfit. Matching is on whole words, longest phrase first, so that
"kacang hijau" (mung bean) is not peanut, "susu kedelai" is soy and not milk, "santan"/"kelapa" are
not tree nuts and "cocoa butter" is not milk.

Markup convention of :func:`emphasise_allergens` (what the label engine receives): plain text in
which the ONLY markup is ``<b>`` … ``</b>``. A ``<`` or ``>`` typed by the user is replaced by the
look-alike characters ``‹`` and ``›``, so user text can never open or close a tag. ``&`` is left
as typed (it is not markup for the label engine).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

#: Group ids in the order of the regulation, with the word printed in statements.
GROUPS: dict[str, tuple[str, str]] = {
    "gluten": ("gluten", "gluten (cereals)"),
    "telur": ("telur", "egg"),
    "ikan": ("ikan", "fish"),
    "krustasea": ("krustasea", "crustaceans"),
    "moluska": ("moluska", "molluscs"),
    "kacang_tanah": ("kacang tanah", "peanut"),
    "kedelai": ("kedelai", "soy"),
    "susu": ("susu", "milk"),
    "kacang_pohon": ("kacang pohon", "tree nuts"),
    "sulfit": ("sulfit", "sulphites"),
}

_G, _T, _I, _K, _M = "gluten", "telur", "ikan", "krustasea", "moluska"
_P, _S, _D, _N, _SO2 = "kacang_tanah", "kedelai", "susu", "kacang_pohon", "sulfit"

# term -> groups. An empty tuple marks a known NON-allergen phrase that must win over a shorter
# allergen word inside it ("kacang hijau" vs "kacang", "cocoa butter" vs "butter").
_TERMS: dict[str, tuple[str, ...]] = {}


def _add(groups: tuple[str, ...], *terms: str) -> None:
    for t in terms:
        _TERMS[t] = groups


_add((_G,), "gandum", "terigu", "tepung terigu", "tepung gandum", "wheat", "wheat flour", "barley",
     "jelai", "oat", "oats", "oatmeal", "havermut", "gandum hitam", "rye", "spelt", "malt",
     "ekstrak malt", "semolina", "durum", "gluten", "tepung roti", "roti", "roti tawar", "mie",
     "mi", "bulgur", "couscous", "seitan", "kamut")
_add((_T,), "telur", "telor", "egg", "eggs", "kuning telur", "putih telur", "telur ayam",
     "telur bebek", "telur puyuh", "telur asin", "albumin", "ovalbumin", "mayones", "mayonais",
     "mayonnaise", "lisozim")
_add((_I,), "ikan", "fish", "teri", "ikan teri", "tongkol", "bandeng", "tuna", "cakalang",
     "tenggiri", "lele", "nila", "mujair", "gabus", "kakap", "salmon", "sarden", "sardin",
     "makarel", "makerel", "kembung", "layang", "patin", "bawal", "belanak", "anchovy",
     "anchovies", "kecap ikan", "petis ikan", "minyak ikan", "gelatin ikan", "kerupuk ikan",
     "abon ikan", "cod", "haddock")
_add((_K,), "udang", "rebon", "ebi", "kepiting", "rajungan", "lobster", "terasi", "trasi",
     "petis", "petis udang", "shrimp", "shrimps", "prawn", "prawns", "crab", "crustacean",
     "krustasea", "udang rebon", "kerupuk udang")
_add((_M,), "cumi", "cumi-cumi", "sotong", "gurita", "kerang", "tiram", "saus tiram", "remis",
     "kijing", "simping", "siput", "bekicot", "keong", "squid", "octopus", "clam", "clams",
     "oyster", "oysters", "oyster sauce", "mussel", "mussels", "scallop", "scallops", "moluska")
_add((_P,), "kacang tanah", "kacang", "peanut", "peanuts", "groundnut", "selai kacang",
     "bumbu kacang", "sambal kacang", "pecel", "bumbu pecel", "peanut butter", "minyak kacang")
_add((_P, _T), "kacang telur")
_add((_S,), "kedelai", "kedele", "kacang kedelai", "soy", "soya", "soybean", "soybeans",
     "susu kedelai", "kecap", "kecap manis", "kecap asin", "tahu", "tempe", "tauco", "tofu",
     "miso", "edamame", "natto", "lesitin kedelai", "soy lecithin", "soya lecithin",
     "tepung kedelai", "protein kedelai")
_add((_D,), "susu", "milk", "susu bubuk", "susu sapi", "susu kambing", "susu kental manis",
     "susu skim", "skim", "laktosa", "lactose", "keju", "cheese", "mentega", "butter", "whey",
     "krim", "cream", "yoghurt", "yogurt", "yogourt", "kasein", "casein", "kaseinat", "caseinate",
     "natrium kaseinat", "ghee", "buttermilk", "krim keju", "cream cheese", "susu full cream",
     "whey protein", "milk powder")
_add((_N,), "kenari", "almond", "almonds", "mede", "mete", "kacang mede", "kacang mete",
     "jambu mete", "biji mete", "cashew", "cashews", "hazelnut", "hazelnuts", "kacang hazel",
     "walnut", "walnuts", "kacang walnut", "pistachio", "pistachios", "pistasio", "macadamia",
     "makadamia", "kacang macadamia", "kacang makadamia", "pecan", "pecans", "kacang pecan",
     "brazil nut", "brazil nuts", "kacang brazil", "kacang almond", "kacang kenari", "marzipan",
     "susu almond", "tree nut", "tree nuts")
_add((_SO2,), "sulfit", "sulfite", "sulfites", "sulphite", "sulphites", "metabisulfit",
     "natrium metabisulfit", "sodium metabisulfite", "sodium metabisulphite",
     "kalium metabisulfit", "potassium metabisulfite", "natrium bisulfit", "sodium bisulfite",
     "natrium sulfit", "sodium sulfite", "belerang dioksida", "sulfur dioksida", "sulfur dioxide",
     "sulphur dioxide", "ins 220", "ins 221", "ins 222", "ins 223", "ins 224", "ins 225",
     "ins 226", "ins 227", "ins 228", "e220", "e221", "e222", "e223", "e224", "e225", "e226",
     "e227", "e228")
_add((_G,), "susu oat", "oat milk")
# Known non-allergens that contain an allergen word (must be listed to win the longest match).
_add((), "kacang hijau", "kacang merah", "kacang panjang", "kacang polong", "kacang tolo",
     "kacang bogor", "kacang arab", "kacang koro", "kacang buncis", "kacang kapri", "kacang mung",
     "santan", "kelapa", "susu kelapa", "krim kelapa", "coconut milk", "coconut cream",
     "cocoa butter", "lemak kakao", "shea butter", "mentega putih", "mentega kakao",
     "kemiri", "pala", "tepung beras", "tepung ketan", "tepung tapioka", "tepung maizena",
     "mi beras", "mie beras", "mie sagu", "bihun", "soun", "kecap inggris", "cream of tartar",
     "krim tartar", "buah kenari hias")

_PATTERN = re.compile(
    r"(?<![\w])(" + "|".join(re.escape(t) for t in sorted(_TERMS, key=len, reverse=True))
    + r")(?![\w])", re.IGNORECASE)

_ALIASES = {v[0]: k for k, v in GROUPS.items()} | {v[1]: k for k, v in GROUPS.items()} | {
    "kacang-tanah": _P, "kacang pohon": _N, "tree nut": _N, "nuts": _N, "kacang-kacangan": _N,
    "gandum": _G, "egg": _T, "fish": _I, "milk": _D, "soy": _S, "kedele": _S, "peanut": _P,
    "udang": _K, "shellfish": _K, "sulfur": _SO2, "sulphite": _SO2, "sulfite": _SO2}


def group_id(name: str) -> str | None:
    """Map a group id or display name ("kacang tanah", "milk", "susu") to its id, else None."""
    key = re.sub(r"\s+", " ", str(name).strip().lower().replace("_", " "))
    if key.replace(" ", "_") in GROUPS:
        return key.replace(" ", "_")
    return _ALIASES.get(key)


def find_allergen_terms(text: str, exempt: Iterable[str] = ()) -> list[tuple[int, int, tuple[str, ...]]]:
    """Allergen words in ``text`` as ``(start, end, groups)`` spans; non-allergen phrases skipped,
    and so are words inside an ``exempt`` ingredient name (see :func:`exempt_ingredients`)."""
    skip = [(m.start(), m.end()) for name in exempt if str(name).strip()       # a line break may
            for m in re.finditer(r"\s+".join(map(re.escape, str(name).split())), text, re.I)]  # split it
    return [(m.start(), m.end(), _TERMS[m.group(1).lower()])
            for m in _PATTERN.finditer(text) if _TERMS[m.group(1).lower()]
            and not any(a <= m.start() and m.end() <= b for a, b in skip)]


def is_exemptable(ingredient: str, patterns: Iterable[str]) -> bool:
    """Whether the law's "highly refined derivative" exemption can apply to this ingredient name
    (``RuleSettings.allergen_exempt_patterns``, e.g. "minyak kedelai murni")."""
    return any(re.search(p, str(ingredient), re.I) for p in patterns)


def exempt_ingredients(clean: Mapping[str, Any], patterns: Iterable[str]) -> list[str]:
    """Ingredient names (as in the list) the producer marked exempt AND that can be exempt."""
    marked = {str(m).strip().lower() for m in clean.get("allergen_exempt") or ()}
    patterns = tuple(patterns)
    return [i["name"] for i in clean.get("ingredients") or ()
            if i["name"].strip().lower() in marked and is_exemptable(i["name"], patterns)]


def detect_allergens(ingredients: Iterable[str]) -> dict[str, list[str]]:
    """Which allergen groups each ingredient belongs to: ``{group: [ingredient, …]}``.

    Groups come in regulation order; each ingredient is listed once per group, as typed.
    """
    found: dict[str, list[str]] = {}
    for ingredient in ingredients:
        for _, _, groups in find_allergen_terms(str(ingredient)):
            for g in groups:
                if ingredient not in found.setdefault(g, []):
                    found[g].append(ingredient)
    return {g: found[g] for g in GROUPS if g in found}


def escape_markup(text: str) -> str:
    """Replace ``<``/``>`` by look-alikes ``‹``/``›`` so user text can never form a tag."""
    return str(text).replace("<", "‹").replace(">", "›")


def strip_markup(text: str) -> str:
    """Remove the ``<b>``/``</b>`` markup (for listings and plain-text exports)."""
    return text.replace("<b>", "").replace("</b>", "")


def emphasise_allergens(ingredient_text: str, groups: Iterable[str] | None = None) -> str:
    """Wrap allergen words in ``<b>…</b>``; escape everything else (see module docstring).

    :param groups: only bold words of these groups; ``None`` bolds every allergen found.
    """
    wanted = None if groups is None else {group_id(g) or g for g in groups}
    text = str(ingredient_text)
    out: list[str] = []
    pos = 0
    for start, end, found in find_allergen_terms(text):
        if wanted is not None and not (set(found) & wanted):
            continue
        out.append(escape_markup(text[pos:start]))
        out.append("<b>" + escape_markup(text[start:end]) + "</b>")
        pos = end
    out.append(escape_markup(text[pos:]))
    return "".join(out)


def _names(groups: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for g in groups:
        gid = group_id(g) or g
        if gid in GROUPS and gid not in seen:
            seen.append(gid)
    return seen


def allergen_statement(groups: Iterable[str], may_contain: Iterable[str] = ()) -> str:
    """Label text next to the ingredient list, in the order given:
    "Mengandung alergen: susu, kacang tanah. Dapat mengandung kacang pohon." ("" when none).
    """
    contains = _names(groups)
    maybe = [g for g in _names(may_contain) if g not in contains]
    parts = []
    if contains:
        parts.append("Mengandung alergen: " + ", ".join(GROUPS[g][0] for g in contains) + ".")
    if maybe:
        parts.append("Dapat mengandung " + ", ".join(GROUPS[g][0] for g in maybe) + ".")
    return " ".join(parts)
