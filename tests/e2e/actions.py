"""Counting what a person does in the browser: every tap, field entry and upload, step by step.

The journey drives the producer's phone through :class:`Actions` instead of the page itself, so
the count is exactly what the test did: a tap (a button, a link, a checkbox, a point on the photo
editor), a fill (typing into one field, or choosing one option of a list) or an upload (picking a
file). Opening a page by its address counts as the tap on the link that leads there. Waiting and
reading are free. ``report()`` gives the per-step counts; ``write_bench`` records them with the
date in a JSON file (``bench/journey.json`` when STUDIO_RECORD_JOURNEY=1; the first recorded run stays
there as the baseline).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path


class Actions:
    def __init__(self, page, who: str) -> None:
        self.page = page
        self.who = who
        self.steps: dict[str, dict[str, int]] = {}
        self.current = "-"
        self.counting = True

    def step(self, name: str) -> None:
        self.current = name
        self.steps.setdefault(name, {"tap": 0, "fill": 0, "upload": 0})

    def _count(self, kind: str, n: int = 1) -> None:
        if self.counting:
            self.steps.setdefault(self.current, {"tap": 0, "fill": 0, "upload": 0})[kind] += n

    # -- what she does ---------------------------------------------------------------------
    def go(self, url: str):
        """Open a page: the tap on the link or menu item that leads there."""
        self._count("tap")
        return self.page.goto(url)

    def tap(self, selector: str) -> None:
        self._count("tap")
        self.page.click(selector)

    def tap_at(self, x: float, y: float) -> None:
        self._count("tap")
        self.page.mouse.click(x, y)

    def drag(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """One finger drag (a box on the photo editor): one action."""
        self._count("tap")
        self.page.mouse.move(x0, y0)
        self.page.mouse.down()
        self.page.mouse.move(x1, y1, steps=8)
        self.page.mouse.up()

    def check(self, selector: str) -> None:
        self._count("tap")
        self.page.check(selector)

    def fill(self, selector: str, value: str) -> None:
        self._count("fill")
        self.page.fill(selector, value)

    def select(self, selector: str, value: str) -> None:
        self._count("fill")
        self.page.select_option(selector, value)

    def upload(self, selector: str, path: str) -> None:
        self._count("upload")
        self.page.set_input_files(selector, path)

    # -- figures ---------------------------------------------------------------------------
    def totals(self) -> dict[str, int]:
        return {name: sum(c.values()) for name, c in self.steps.items()}

    def total(self) -> int:
        return sum(self.totals().values())

    def report(self) -> str:
        lines = [f"{self.who}: actions per step (tap + fill + upload)"]
        for name, c in self.steps.items():
            lines.append(f"  {name:<28} {sum(c.values()):>3}   ({c['tap']} tap, {c['fill']} fill, {c['upload']} upload)")
        lines.append(f"  {'TOTAL':<28} {self.total():>3}")
        return "\n".join(lines)


def write_bench(path: Path, actions: Actions, *, viewport: dict, goal: int, until: str,
                layout: dict | None = None) -> dict:
    """Record the counts with the date in ``path`` (JSON); keeps the first run as ``baseline``."""
    run = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "who": actions.who,
           "viewport": viewport, "until": until, "goal": goal, "total": actions.total(),
           "steps": actions.totals(), "detail": actions.steps, "layout": layout or {}}
    old = {}
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            old = {}
    out = {"baseline": old.get("baseline") or run, "latest": run}
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out
