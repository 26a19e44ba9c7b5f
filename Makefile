# Studio Kemasan — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve setup test test-embedded test-scaled translations run-scaled clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PIP) install --disable-pip-version-check -q -r requirements-test.txt
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d studio/translations

setup: $(VENV)/.installed translations
	$(FLASK) studio init

## Set up everything and start the studio at http://127.0.0.1:5000 (SQLite + instance/media, demo data on first start).
## Served by gunicorn (a production WSGI server: 2 workers x 4 threads for a training room; gunicorn.conf.py warms
## each worker and starts the photo cleanup in a child process at the lowest CPU priority, so pages
## never wait for it); STUDIO_SERVER=dev uses Flask's development server instead.
STUDIO_SERVER ?= gunicorn
# Several workers are safe (one of them owns the photo-cleanup process: studio/jobs.py _ChildLane).
# 2 x 4 rather than 1 x 8: the page threads of one process share one GIL; two processes on the two
# cores answered pages faster in every back-to-back pair: idle, page+poll p95 while photo jobs run
# 286 -> 98 ms and 218 -> 54 ms, editor p95 within 1 s (bench/results/pair-2026-12-03-fifth); loaded,
# 0.79x and 0.88x, with a slower editor tail there (bench/results/prof-2026-12-03-workers). Costs one
# more app in memory (~250 MB). One process: make serve WORKERS=1 THREADS=8.
WORKERS ?= 2
THREADS ?= 4
run: setup serve

serve:
ifeq ($(STUDIO_SERVER),dev)
	$(FLASK) run --host $(HOST) --port $(PORT)
else
	$(VENV)/bin/gunicorn --workers $(WORKERS) --threads $(THREADS) --bind $(HOST):$(PORT) app:app
endif

PG_URL ?= postgresql+psycopg://studio:studio@127.0.0.1/studio
PG_TEST_URL ?= postgresql+psycopg://studio:studio@127.0.0.1/studio_test
PG_MIG_URL ?= postgresql+psycopg://studio:studio@127.0.0.1/studio_mig
# Test folders that use the database and the jobs (run again on PostgreSQL + Celery).
DB_TESTS ?= tests/test_migrations.py tests/golive tests/web tests/services tests/catalogue tests/products tests/photos tests/designs tests/review tests/printing tests/packaging tests/scaled

## Install what the tests need and run the whole suite: first on the embedded default (SQLite,
## local jobs), then the database tests again on PostgreSQL with a real Celery worker and Redis.
test: test-embedded test-scaled

test-embedded: $(VENV)/.installed-test translations
	bash scripts/test-system-deps.sh
	$(PY) -m pytest -q -p no:cacheprovider

test-scaled: $(VENV)/.installed-test translations
	bash scripts/scaled-stack.sh start
	STUDIO_TEST_DATABASE_URL=$(PG_TEST_URL) STUDIO_TEST_SCALED=1 \
	  STUDIO_TEST_BROKER_URL=$$(bash scripts/scaled-stack.sh broker-url 15) \
	  STUDIO_TEST_MIGRATIONS_DATABASE_URL=$(PG_MIG_URL) $(PY) -m pytest -q -p no:cacheprovider \
	  $(wildcard $(DB_TESTS)); status=$$?; bash scripts/scaled-stack.sh stop; exit $$status

## The scaled stack on one machine: PostgreSQL, Redis, gunicorn with several workers (warmed by
## gunicorn.conf.py), the photo worker (-Q studio-heavy: nice 19 + SCHED_IDLE, studio/worker.py) and
## the light worker (print PDFs, deliveries: nice 19).
run-scaled: $(VENV)/.installed translations
	bash scripts/scaled-stack.sh start
	export STUDIO_CELERY_BROKER_URL=$$(bash scripts/scaled-stack.sh broker-url 0); \
	STUDIO_SQLALCHEMY_DATABASE_URI=$(PG_URL) STUDIO_JOBS_MODE=celery $(FLASK) studio init; \
	STUDIO_SQLALCHEMY_DATABASE_URI=$(PG_URL) STUDIO_JOBS_MODE=celery \
	  $(VENV)/bin/celery -A studio.worker:celery worker -Q studio-heavy -n heavy@%h --loglevel info & \
	STUDIO_SQLALCHEMY_DATABASE_URI=$(PG_URL) STUDIO_JOBS_MODE=celery \
	  $(VENV)/bin/celery -A studio.worker:celery worker -Q studio --concurrency 2 -n light@%h --loglevel info & \
	STUDIO_SQLALCHEMY_DATABASE_URI=$(PG_URL) STUDIO_JOBS_MODE=celery \
	  $(VENV)/bin/gunicorn --workers 3 --threads 4 --bind $(HOST):$(PORT) app:app; \
	kill %1 %2 2>/dev/null || true

clean:
	rm -rf $(VENV) .pytest_cache
