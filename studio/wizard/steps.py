"""The six wizard steps and their gates. Pure: no Flask, no database (STYLE.md E9).

A service gathers :class:`Facts` from the database; these functions decide what is done, what is
open and what blocks the next step. The stored ``Product.wizard_step`` is only a cache.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Step(StrEnum):
    PRODUCT = "product"
    PHOTOS = "photos"
    DESIGN = "design"
    REVIEW = "review"
    PRINT = "print"
    PUBLISH = "publish"


@dataclass(frozen=True)
class Facts:
    has_product_data: bool = False          # current revision complete for the label
    has_primary_photo: bool = False         # a cleaned photo is chosen
    has_design: bool = False
    design_blockers: int = 0                # BLOCKER findings on the working design
    submitted: bool = False                 # a version waits for the trainer
    changes_requested: bool = False
    review_approved: bool = False           # the latest version is approved
    printed: bool = False                   # at least one print job of the approved version
    published: bool = False                 # a current listing exists
    missing_fields: tuple[str, ...] = field(default_factory=tuple)
    # the product-data gate naming every problem of an incomplete current revision at once (the
    # fields filled in wrongly with what is wrong, then the empty ones), as (id text, en text)
    data_gate: tuple[str, str] | None = None


# (step that needs it, check, message id, message en). The photo and a first design come early
# (a label preview shows the legal items still missing as placeholders); only sending the label
# for review needs the product data complete (also a server rule in review.services). Once an
# approved label is printed, the working design (another stock tried, a newer version waiting)
# no longer holds back the steps after it: the printed label and its QR code are what counts, and
# sending a new version is still refused on the server while it blocks.
_DATA_GATE = ("Lengkapi data produk dulu.", "Complete the product data first.")
_GATES = (
    (Step.DESIGN, lambda f: f.has_primary_photo,
     "Pilih foto utama yang sudah dibersihkan.", "Choose a cleaned main photo."),
    (Step.REVIEW, lambda f: f.has_product_data, *_DATA_GATE),
    (Step.REVIEW, lambda f: f.has_design and (f.design_blockers == 0 or f.printed),
     "Perbaiki dulu masalah yang menghalangi di desain label.", "Fix the blocking problems in the label design."),
    (Step.PRINT, lambda f: f.review_approved or f.printed,
     "Tunggu pendamping menyetujui label.", "Wait for your trainer to approve the label."),
    (Step.PUBLISH, lambda f: f.printed,
     "Cetak label di hub dulu.", "Print the labels at the hub first."),
)

_DONE = {
    Step.PRODUCT: lambda f: f.has_product_data,
    Step.PHOTOS: lambda f: f.has_primary_photo,
    Step.DESIGN: lambda f: f.has_design and f.design_blockers == 0 and (f.submitted or f.review_approved),
    Step.REVIEW: lambda f: f.review_approved,
    Step.PRINT: lambda f: f.printed,
    Step.PUBLISH: lambda f: f.published,
}


@dataclass(frozen=True)
class Blocker:
    step: Step
    message_id: str
    message_en: str

    def text(self, locale: str) -> str:
        return self.message_en if locale == "en" else self.message_id


def blockers(step: Step, facts: Facts) -> list[Blocker]:
    """Why ``step`` cannot be opened yet (empty list: it can). Re-checks every earlier gate."""
    order = list(Step)
    return [_named(Blocker(gate, mid, men), facts) for gate, ok, mid, men in _GATES
            if order.index(gate) <= order.index(step) and not ok(facts)]


def _named(b: Blocker, facts: Facts) -> Blocker:
    """The product-data gate names every problem at once: the fields filled in wrongly (a wrong
    GTIN check digit, a 61-letter name) with what is wrong, and the empty ones ("complete the
    product data" alone would send the producer looking; naming only the wrong one would send
    them back a second time for the empty one)."""
    if b.message_id != _DATA_GATE[0] or not facts.data_gate:
        return b
    return Blocker(b.step, *facts.data_gate)


def is_done(step: Step, facts: Facts) -> bool:
    return _DONE[step](facts)


def current_step(facts: Facts) -> Step:
    """The first step that is not done (PUBLISH when everything is)."""
    for step in Step:
        if not is_done(step, facts):
            return step
    return Step.PUBLISH


@dataclass(frozen=True)
class StepState:
    step: Step
    number: int
    done: bool
    open: bool
    current: bool
    blockers: tuple[Blocker, ...]


def step_states(facts: Facts) -> list[StepState]:
    """The whole progress bar: for each step whether it is done, open and current."""
    cur = current_step(facts)
    return [StepState(step=s, number=i + 1, done=is_done(s, facts), open=not blockers(s, facts),
                      current=(s == cur), blockers=tuple(blockers(s, facts)))
            for i, s in enumerate(Step)]


class Status(StrEnum):
    """Where a product stands, in one word the producer reads on every product card."""

    DRAFT = "draft"                     # being made, not sent yet
    CHANGES = "changes"                 # the trainer asked for changes
    WAITING = "waiting"                 # sent, waiting for the trainer
    APPROVED = "approved"
    PRINTED = "printed"
    LIVE = "live"                       # published in the catalogue


def product_status(facts: Facts) -> Status:
    """The product's status badge (the furthest state reached; a change request comes first)."""
    if facts.published:
        return Status.LIVE
    if facts.changes_requested:
        return Status.CHANGES
    if facts.submitted:
        return Status.WAITING
    if facts.printed:
        return Status.PRINTED
    if facts.review_approved:
        return Status.APPROVED
    return Status.DRAFT
