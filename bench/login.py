"""Login doors: time per try for a known and an unknown login (production scrypt cost), and how many
passwords 20 parallel tries on one account get checked. Prints JSON.

    python bench/login.py [--tries 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tries", type=int, default=5)
    args = ap.parse_args()
    from studio import create_app
    from studio.auth import services
    from studio.auth.services import NewUser, create_user
    from studio.extensions import db

    tmp = Path(tempfile.mkdtemp(prefix="bench-login-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'b.sqlite3'}",
                      "MEDIA_DIR": str(tmp / "media"), "JOBS_MODE": "eager", "DEMO_ON_FIRST_START": False,
                      "LOGIN_MAX_FAILURES": 10_000, "LOGIN_MAX_FAILURES_PER_IP": 10_000})
    out: dict = {"password_hash": app.config["PASSWORD_HASH_METHOD"]}
    with app.app_context():
        db.create_all()
        create_user(None, NewUser(username="bu.sri", full_name="Sri", role="producer", password="rahasia123",
                                  phone="081234500012"))
        times: dict[str, list[float]] = {"known_ms": [], "unknown_ms": []}
        for i in range(args.tries):   # interleaved, so machine load hits both alike
            for label, login in (("known_ms", "bu.sri"), ("unknown_ms", "tidak.ada")):
                t0 = time.perf_counter()
                try:
                    services.authenticate(login, "salah-sekali", f"10.0.0.{i}")
                except services.StudioError:
                    pass
                times[label].append((time.perf_counter() - t0) * 1000)
        out.update({label: round(statistics.median(v), 1) for label, v in times.items()})
        app.config.update(LOGIN_MAX_FAILURES=5)
        db.session.execute(db.delete(services.LoginThrottle))
        db.session.commit()
    checked = []
    real = services.check_password_hash
    services.check_password_hash = lambda h, p: checked.append(p) or real(h, p)
    barrier = threading.Barrier(20)

    def attempt(i):
        with app.app_context():
            barrier.wait()
            try:
                services.authenticate("0812-3450-0012" if i % 2 else "+6281234500012", f"tebak-{i}", "10.9.9.9")
            except services.StudioError:
                pass
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["parallel_tries"] = 20
    out["parallel_passwords_checked"] = len(checked)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
