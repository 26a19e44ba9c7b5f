#!/usr/bin/env bash
# Extract msgids (Bahasa Indonesia) from code and templates and merge them into the English catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o /tmp/studio-messages.pot . 
.venv/bin/pybabel update -i /tmp/studio-messages.pot -d studio/translations -l en --no-fuzzy-matching --ignore-obsolete
