#!/usr/bin/env bash
# Development helper (before the first release only): rebuild the single initial migration from the models.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/*.py
STUDIO_INSTANCE_PATH="$tmp" .venv/bin/flask --app app db migrate -m "initial schema" >/dev/null 2>&1
rm -rf "$tmp"
.venv/bin/python scripts/fix_use_alter.py migrations/versions/*.py
ls migrations/versions
