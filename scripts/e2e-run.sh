#!/usr/bin/env bash
# Run the browser journey, the accessibility check and the security tests, then list the screenshots.
# Installs Debian's Chromium first when it is missing (Playwright never downloads a browser here).
#   bash scripts/e2e-run.sh            # everything (about 3-4 minutes on 2 cores)
#   bash scripts/e2e-run.sh -k journey # pytest options pass through
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-system-deps.sh
PY="${VENV:-.venv}/bin/python"
status=0
"$PY" -m pytest -q -p no:cacheprovider -rxX tests/e2e tests/security "$@" || status=$?
if [ -d test-artifacts/e2e ]; then
  echo "screenshots and reports in test-artifacts/e2e/:"
  ls -1 test-artifacts/e2e/
fi
exit $status
