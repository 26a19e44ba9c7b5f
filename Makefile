# Studio Kemasan — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve setup test test-deps translations run-scaled test-scaled clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PIP) install --disable-pip-version-check -q -r requirements-test.txt
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -q -d studio/translations

setup: $(VENV)/.installed translations
	$(FLASK) studio init

## Set up everything and start the studio at http://127.0.0.1:5000 (SQLite + instance/media, demo data on first start).
## STUDIO_SERVER=gunicorn serves with gunicorn (production WSGI server) instead of the dev server.
run: setup serve

serve:
ifeq ($(STUDIO_SERVER),gunicorn)
	$(VENV)/bin/gunicorn --workers 1 --threads 8 --bind $(HOST):$(PORT) app:app
else
	$(FLASK) run --host $(HOST) --port $(PORT)
endif

## Install what the tests need and run the whole suite.
test: $(VENV)/.installed-test translations
	bash scripts/test-system-deps.sh
	$(PY) -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) .pytest_cache
