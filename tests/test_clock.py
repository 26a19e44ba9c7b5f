"""One clock: "today" is the hub's day (BABEL_DEFAULT_TIMEZONE) for every service."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from studio import clock

STUDIO = Path(__file__).resolve().parent.parent / "studio"


def test_today_follows_the_hubs_time_zone(app):
    # UTC+14 and UTC-11 are always on different calendar days
    days = {}
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        app.config["BABEL_DEFAULT_TIMEZONE"] = zone
        with app.app_context():
            days[zone] = clock.today()
            assert days[zone] == datetime.now(ZoneInfo(zone)).date()
    assert days["Pacific/Kiritimati"] > days["Pacific/Pago_Pago"]


def test_no_other_clock_reads_the_calendar():
    """date.today() is the machine's day, not the hub's; time zones are looked up in one place."""
    problems = []
    for path in STUDIO.rglob("*.py"):
        if path.name == "clock.py" and path.parent == STUDIO:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bdate\.today\(\)|\bZoneInfo\(|datetime\.now\((?!timezone\.utc\))", line):
                problems.append(f"{path.relative_to(STUDIO)}:{n}: {line.strip()}")
    assert not problems, "use studio.clock.today()/now():\n" + "\n".join(problems)
