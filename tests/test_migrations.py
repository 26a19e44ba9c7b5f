"""The Alembic migrations build exactly the schema the models describe (SQLite here, PostgreSQL in the scaled run)."""
from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from studio import create_app
from studio.extensions import db


def test_migrations_upgrade_to_the_models_and_back(tmp_path):
    url = os.environ.get("STUDIO_TEST_MIGRATIONS_DATABASE_URL") or f"sqlite:///{tmp_path / 'mig.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                      "MEDIA_DIR": str(tmp_path / "media"), "JOBS_MODE": "eager"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # start from an empty database every time
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), db.metadata)
        assert not diffs, f"models and migrations differ (run scripts/regenerate-migration.sh): {diffs[:5]}"
        downgrade(revision="base")
        db.engine.dispose()
