"""A studio app for a real WSGI server in tests (gunicorn ``tests.support.serve_app:app``).

The database and media folder come from STUDIO_TEST_DB / STUDIO_TEST_MEDIA (a test's tmp_path).
"""
import os

from studio import create_app
from studio.extensions import db

app = create_app({
    "TESTING": True, "SECRET_KEY": "serve-app-tests", "WTF_CSRF_ENABLED": False, "JOBS_MODE": "eager",
    "SQLALCHEMY_DATABASE_URI": os.environ["STUDIO_TEST_DB"], "MEDIA_DIR": os.environ["STUDIO_TEST_MEDIA"],
    "DEMO_ON_FIRST_START": False,
})
with app.app_context():
    db.create_all()
