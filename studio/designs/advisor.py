"""The stock advisor: on which label stocks does this product's label hold every mandatory item?

For a product (its current data, and the design's style and choices, or the first choices a new
design would get) the label is composed on each stock worth judging (:func:`stocks_to_judge`: the
stock the hub offers and can print, measured, in the shapes that suit the product's category, plus
the design's own stock) and judged by the same preflight
and the same blocking rule the gates use (:func:`preflight.findings_for`, :func:`studio.preflight.blocking`).
The answer per stock: fits (nothing blocks), how many blocking problems, and in plain words what
does not fit. Best first: fits, then fewest ERROR findings, then stock a producer can buy at a
stationery shop (A4/F4 sheets) before stock that needs a special printer (thermal rolls) — the
order is the :data:`WHERE_SOLD_RANK` table, not code.

Cost: one compose + preflight (codes not decoded, as the editor does) per stock judged (12 of the
17 stock files for a drink powder in sachets: no unmeasured Tom & Jerry sheets, no round stickers; 9 on a hub
whose printers include no thermal one), plus front + back pairs (only on sheets whose single label
blocks and whose sticker can hold a front, :func:`pair_candidate`); before this
filter every stock was judged: 1.4 s median, 1.9 s worst at load 6 on 2 cores, and 2-6 s under a
training day's load (``bench/editor.py``, issue 20). So the design page does not wait for it: it shows the
stocks at once with "checking", :func:`request_advice` starts ONE job ``design.advise``
(:mod:`.tasks`; the local pool embedded, Celery scaled) per content hash of everything that changes
the answer (product revision and the label texts with the producer's profile, images, style,
choices, each stock's geometry, the day, settings, language, code), and the page asks again
(``wizard.design_stock_advice``) until the answer is in the shared cache (:mod:`studio.cache`,
on disk, every worker; the last answers also in memory). With eager jobs (tests, command line) it is
computed in the request as before. The product's part of the inputs is read once for every stock
(:func:`prepare.product_inputs`).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import cache, clock
from ..labels import DesignOptions, DocumentError, SheetLayout, layout_to_dict
from ..packaging import LABEL_SETS
from ..preflight import LabelFinding, blocking
from ..products.models import Product
from ..products.record import product_record
from . import assets
from .gates import PART_NAMES, locale, problem_words
from .models import Design
from .preflight import findings_for
from .prepare import DesignRender, default_options, default_style, prepare_design, product_inputs
from .source import RenderSource
from .stock import get_layouts, paper_name, stocks_on_offer
from .values import label_values
from ..site import public_base_url

#: where a producer gets each kind of stock -> rank (lower is easier to buy and print). Keys are
#: (stock kind, paper name from :func:`stock.paper_name`); ``(kind, None)`` matches any paper.
WHERE_SOLD_RANK: dict[tuple[str, str | None], int] = {
    ("sheet", "A4"): 0, ("nup", "A4"): 0, ("sheet", "F4"): 0, ("nup", "F4"): 0,   # stationery shop, any printer
    ("sheet", None): 1, ("nup", None): 1,          # other sheet sizes (Letter, A3, local sheets)
    ("roll", None): 2,                             # needs a thermal label printer
}
#: largest sticker (mm², a 60 mm round label's square) on which a three-sticker set is judged: on
#: larger stock the pair's back has the room, and a third sticker a pack is a cost to the producer
THREE_MAX_MM2 = 3600.0
#: the label set the advisor proposes beside single labels (a front and a back sticker of one stock)
SET_ADVISED = "front_back"
#: what it proposes where that pair cannot hold everything: front + two backs, the information flowing
#: from back 1 (ingredients, allergens, storage) to back 2 (nutrition and the QR)
SET_THREE = "front_back_back"
#: rank of a stock not in the table
OTHER_RANK = 3
#: at most this many answers are kept in memory (one per product and choice)
CACHE_SIZE = 256


#: smallest sticker (mm, w x h and area) on which a front + back pair is worth judging: below it even
#: the front alone cannot hold name, net quantity, producer and permit (the template's tiny tier)
PAIR_MIN_MM = (35.0, 30.0, 1500.0)
#: smallest round sticker (diameter, mm) on which a pair is judged (the template's "round" tier)
PAIR_ROUND_MIN_MM = 50.0


def pair_candidate(layout: SheetLayout) -> bool:
    """Rectangular stickers big enough for a front, at least two a sheet, or a roll (the pair is
    two consecutive labels: a 50 x 30 mm thermal roll); round stickers of 50 mm and up."""
    w, h = layout.label_w_mm, layout.label_h_mm
    if layout.shape != "rect":      # a round sheet: the families' round back (50 mm and up)
        return layout.slots_per_page >= 2 and min(w, h) >= PAIR_ROUND_MIN_MM
    return ((layout.kind == "roll" or layout.slots_per_page >= 2)
            and w >= PAIR_MIN_MM[0] and h >= PAIR_MIN_MM[1] and w * h >= PAIR_MIN_MM[2])


def where_sold_rank(layout: SheetLayout) -> int:
    """How easy the stock is to buy and print (see :data:`WHERE_SOLD_RANK`)."""
    paper = paper_name(layout)
    return WHERE_SOLD_RANK.get((layout.kind, paper), WHERE_SOLD_RANK.get((layout.kind, None), OTHER_RANK))


@dataclass(frozen=True)
class StockAdvice:
    """The advisor's answer for one stock."""

    layout_id: str
    fits: bool
    blocking_count: int
    error_count: int
    where_sold_rank: int
    reason: str = ""                          # plain words: what does not fit (empty when it fits)
    parts_cut: tuple[str, ...] = field(default=())   # the producer's names of the items that do not fit
    label_set: str = "single"                 # "single" or a label set ("front_back": two stickers)
    #: the design asks for the product's QR code and this label has no room for it (not a legal item,
    #: so the label still fits; a set that keeps the QR ranks above a set that drops it)
    qr_missing: bool = False

    @property
    def is_set(self) -> bool:
        return self.label_set != "single"

    @property
    def stickers(self) -> int:
        """Stickers one pack uses (1, or the set's size)."""
        return len(LABEL_SETS.get(self.label_set, ("single",)))

    def to_dict(self) -> dict[str, Any]:
        return {"layout_id": self.layout_id, "fits": self.fits, "blocking_count": self.blocking_count,
                "error_count": self.error_count, "where_sold_rank": self.where_sold_rank,
                "reason": self.reason, "parts_cut": list(self.parts_cut), "label_set": self.label_set,
                "qr_missing": self.qr_missing}


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " " + str(_l("dan")) + " " + names[-1]


def _for_lack_of_room(f: LabelFinding, everywhere: frozenset = frozenset()) -> bool:
    """A blocking finding about a label part that goes away on the largest label: that part is cut
    off or left out for lack of room here. A rule that blocks on the largest label too is a problem
    of the data (a missing permit, no official halal logo), not of the stock."""
    return (f.rule_id, f.tag) not in everywhere and f.rule_id not in {r for r, _t in everywhere}


def reason_for(findings: list[LabelFinding], loc: str,
               everywhere: frozenset = frozenset()) -> tuple[str, tuple[str, ...]]:
    """What stops the label on this stock, in plain words, and the parts that do not fit.
    ``everywhere``: (rule, tag) of the blocking findings on the largest label; any finding of such a
    rule is a problem of the data, said in the gates' words, never "does not fit"."""
    found = blocking(findings)
    cut: list[str] = []
    other: list[str] = []
    for f in found:
        tag = (f.tag or "").split("#")[0]
        if tag in PART_NAMES and _for_lack_of_room(f, everywhere):     # a mandatory item cut off or left out
            name = str(PART_NAMES[tag])
            if name not in cut:
                cut.append(name)
        else:
            w = problem_words(f, loc).rstrip(".")
            if w not in other:
                other.append(w)
    parts = []
    if cut:
        parts.append(str(_l("%(parts)s tidak muat", parts=_join(cut))))
    parts.extend(other[:2])
    if len(other) > 2:
        parts.append(str(_l("dan %(n)d masalah lain", n=len(other) - 2)))
    return "; ".join(parts), tuple(cut)


def has_qr(r: DesignRender) -> bool:
    """The composed label (a set: any of its stickers) carries a QR code."""
    labels = r.panels.values() if r.is_set else [r.label]
    return any(reg.kind == "qr" for lab in labels if lab is not None for reg in lab.regions.values())


def stocks_to_judge(product: Product, design: Design | None = None,
                    layouts: dict[str, SheetLayout] | None = None) -> list[SheetLayout]:
    """The stocks worth judging for ``product``: the stock the hub offers (:func:`stock.stocks_on_offer`:
    its ``STOCKS_ON_OFFER`` list or every measured stock, rolls only with a thermal printer) in the
    shapes that suit the product's category (``STOCK_SHAPES_BY_CATEGORY``), plus the stock the design
    is on (its card always has an answer). A proposal is one of these, so it is stock the hub has."""
    layouts = get_layouts() if layouts is None else layouts
    category = str(product_record(product.current_revision).get("category") or "")
    shapes = (current_app.config.get("STOCK_SHAPES_BY_CATEGORY") or {}).get(category)
    out = [l for l in stocks_on_offer(layouts).values() if not shapes or l.shape in shapes]
    if design is not None and design.layout_id in layouts and all(l.id != design.layout_id for l in out):
        out.append(layouts[design.layout_id])
    return out


def _choices(product: Product, design: Design | None) -> tuple[str, dict, dict]:
    if design is not None:
        try:
            opts = DesignOptions.from_dict(design.options or {}).to_dict()
        except (DocumentError, TypeError):
            opts = DesignOptions().to_dict()
        return design.style_id, opts, dict(design.saved_overrides or {})
    return default_style(product), default_options(product).to_dict(), {}


def _key(product: Product, style_id: str, options: dict, saved: dict, layouts: list[SheetLayout]) -> str:
    values = label_values(product, product.current_revision, public_base_url())   # includes the producer's profile
    blob = json.dumps([product.id, product.current_revision_id, values, sorted(assets.image_keys(product).items()),
                       style_id, options, saved, [layout_to_dict(l) | {"id": l.id} for l in layouts],
                       str(clock.today()), current_app.config.get("PREFLIGHT") or {},
                       current_app.config.get("RULES") or {}], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


#: a claim to compute one advice is taken over after this many seconds (its worker died)
PENDING_TTL_S = 120.0
#: how long a request that needs the advice now waits for the job computing it
PENDING_WAIT_S = 15.0

_CACHE: "OrderedDict[str, list[StockAdvice]]" = OrderedDict()
_LOCK = threading.Lock()
#: cache space on disk (studio.cache): shared by every worker process, kept across restarts
DISK_SPACE = "advice"


def clear_cache() -> None:
    """Forget every answer, in memory and on disk (benchmarks, tests)."""
    with _LOCK:
        _CACHE.clear()
    shutil.rmtree(cache.root() / DISK_SPACE, ignore_errors=True)


def advice_key(product: Product, design: Design | None = None, loc: str | None = None) -> str:
    """Content hash of everything the advice for ``product`` (and ``design``'s choices) depends on,
    in the language ``loc`` (default the user's): equal keys, equal answers."""
    layouts = stocks_to_judge(product, design)
    style_id, options, saved = _choices(product, design)
    return cache.key_of(_key(product, style_id, options, saved, layouts), loc or locale(), cache.code_version())


def _remember(key: str, out: list[StockAdvice]) -> None:
    with _LOCK:
        _CACHE[key] = out
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)


def cached_advice(product: Product, design: Design | None = None, *, key: str | None = None) -> list[StockAdvice] | None:
    """The advice when it is already known (this process's memory, or the shared disk cache), else
    None: nothing is composed."""
    if product.current_revision_id is None:
        return []
    key = key or advice_key(product, design)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    stored = cache.get_json(DISK_SPACE, key)
    if not isinstance(stored, list):
        return None
    try:
        out = [StockAdvice(**{**a, "parts_cut": tuple(a.get("parts_cut") or ())}) for a in stored]
    except TypeError:            # written by another version of StockAdvice
        return None
    _remember(key, out)
    return out


def advise(product: Product, design: Design | None = None, *, wait_s: float | None = None) -> list[StockAdvice]:
    """The stocks worth judging (:func:`stocks_to_judge`: what the hub offers, in shapes that suit the
    category), judged for ``product`` (with ``design``'s style and choices, or a
    new design's defaults), best first. The caller has checked access. Nothing is stored in the
    database; the answer is cached in memory and on disk (:mod:`studio.cache`, every worker) by a
    content hash of its inputs (:func:`advice_key`). While a job computes the same answer, wait
    for it up to ``wait_s`` seconds (default :data:`PENDING_WAIT_S`) instead of computing it twice."""
    wait_s = PENDING_WAIT_S if wait_s is None else wait_s
    if product.current_revision_id is None:
        return []
    layouts = stocks_to_judge(product, design)
    style_id, options, saved = _choices(product, design)
    loc = locale()
    key = advice_key(product, design, loc)
    hit = cached_advice(product, design, key=key)
    if hit is not None:
        return hit
    deadline = time.monotonic() + wait_s      # a job computes it right now: wait for its answer, not twice
    while wait_s > 0 and time.monotonic() < deadline and cache.pending(DISK_SPACE, key, PENDING_TTL_S):
        time.sleep(0.1)
        hit = cached_advice(product, design, key=key)
        if hit is not None:
            return hit
    # the product's current data with a style and choices, never stored; no stock of its own, so every
    # stock is composed fresh (the element moves the producer made per stock come along)
    probe = RenderSource(product.id, "", {}, style_id, options, {}, product.current_revision_id, saved or {})
    inputs = product_inputs(probe)          # the product's part is the same on every stock: read it once
    want_qr = bool(options.get("show_qr", True))

    def judge(src: RenderSource, layout: SheetLayout) -> tuple[list[LabelFinding], bool]:
        r = prepare_design(src, layout, inputs=inputs)
        return findings_for(r, check_codes=False), want_qr and not has_qr(r)

    judged = [(layout, "single", *judge(probe, layout)) for layout in layouts]
    # a front + back pair on each sheet stock whose single label cannot hold it (both stickers of one size)
    pair = RenderSource(product.id, "", {}, style_id, options, {"set": SET_ADVISED, "panels": {}},
                        product.current_revision_id)
    three = RenderSource(product.id, "", {}, style_id, options, {"set": SET_THREE, "panels": {}},
                         product.current_revision_id)
    for layout, _s, findings, _q in list(judged):
        if blocking(findings) and pair_candidate(layout):
            found, no_qr = judge(pair, layout)
            judged.append((layout, SET_ADVISED, found, no_qr))
            if (blocking(found) or no_qr) and layout.label_w_mm * layout.label_h_mm <= THREE_MAX_MM2:
                # a small roll label or round sticker whose pair blocks or has no room for the QR on
                # its back: front + two backs (3 stickers a pack; the QR on back 2)
                judged.append((layout, SET_THREE, *judge(three, layout)))
    # what blocks on the largest label too is not a matter of room (a missing permit, no official halal logo)
    largest = max(judged, key=lambda j: j[0].label_w_mm * j[0].label_h_mm)[2] if judged else []
    everywhere = frozenset((f.rule_id, f.tag) for f in blocking(largest))
    out: list[StockAdvice] = []
    for layout, label_set, findings, no_qr in judged:
        found = blocking(findings)
        errors = sum(1 for f in findings if str(f.severity).lower() == "error")
        reason, cut = reason_for(findings, loc, everywhere) if found else ("", ())
        out.append(StockAdvice(layout.id, not found, len(found), errors, where_sold_rank(layout), reason, cut,
                               label_set, no_qr))
    by_id = {l.id: l for l in layouts}
    # best first: what holds everything, fewest problems, a set that keeps the QR before one that drops
    # it (the issue: the QR on the back where a set exists; a single label is not asked for a second
    # sticker for it), easiest stock to buy, fewest stickers a pack
    out.sort(key=lambda a: (not a.fits, a.blocking_count, a.error_count, a.is_set and a.qr_missing,
                            a.where_sold_rank, a.stickers, not by_id[a.layout_id].verified, a.layout_id))
    _remember(key, out)
    cache.put_json(DISK_SPACE, key, [a.to_dict() for a in out])
    return out


#: the background job that computes an advice (studio/designs/tasks.py)
JOB_KIND = "design.advise"


def request_advice(product: Product, design: Design | None = None, *, submit: bool = True) -> list[StockAdvice] | None:
    """The advice when it is known; else, when jobs run in the background (local pool, Celery), a
    job :data:`JOB_KIND` is started for it (once per key, whoever asks) and None is returned: the
    page shows "checking" and asks again (``wizard.design_stock_advice``). With eager jobs (tests,
    command line) the advice is computed here. ``submit=False`` only looks."""
    if product.current_revision_id is None:
        return []
    loc = locale()
    key = advice_key(product, design, loc)
    hit = cached_advice(product, design, key=key)
    if hit is not None:
        return hit
    if current_app.config.get("JOBS_MODE") == "eager":
        return advise(product, design)
    if submit and cache.claim(DISK_SPACE, key, PENDING_TTL_S):
        from .. import jobs

        try:
            jobs.submit(JOB_KIND, {"product_id": product.id, "design_id": design.id if design else None,
                                   "locale": loc, "key": key}, max_attempts=1)
        except Exception:
            cache.release(DISK_SPACE, key)
            raise
    return None


def advise_in_background(product_id: int, design_id: int | None, loc: str, key: str | None = None) -> int:
    """The job's work: compute (and cache) the advice in the language ``loc``. Returns how many
    answers (0 when the product or its data is gone)."""
    from flask_babel import force_locale

    from ..extensions import db

    product = db.session.get(Product, product_id)
    design = db.session.get(Design, design_id) if design_id else None
    if product is None:
        n = 0
    else:
        with force_locale(loc):
            n = len(advise(product, design, wait_s=0))
    if key:         # done: a failed run keeps its claim until PENDING_TTL_S, so it is not retried every poll
        cache.release(DISK_SPACE, key)
    return n


#: the stock a design starts on when no stock holds every mandatory item (the most common sheet)
FALLBACK_STOCK = "avery-l7165"


def fallback_stock() -> str:
    """:data:`FALLBACK_STOCK` when the hub has it, else the first stock on offer."""
    layouts = get_layouts()
    return FALLBACK_STOCK if FALLBACK_STOCK in layouts else next(iter(layouts))


def best_fitting_choice(product: Product, design: Design | None = None) -> StockAdvice | None:
    """The best stock (one label, or a front + back pair) that holds every mandatory item, or None."""
    return next((a for a in advise(product, design) if a.fits), None)


def best_fitting_stock(product: Product, design: Design | None = None) -> str | None:
    """The id of the best stock that holds every mandatory item on one label, or None when none does."""
    for a in advise(product, design):
        if a.fits and not a.is_set:
            return a.layout_id
    return None
