#!/usr/bin/env bash
# Creates/updates the test venv at <repo>/.venv-test (or $PCAA_TEST_VENV) with what the tests' helper servers need
# (aiosmtpd for the SMTP tests). Idempotent: when requirements.txt and the Python are unchanged since the last
# successful run it only prints "up to date" and exits (well under a second). Needs python3 with the venv module.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
VENV="${PCAA_TEST_VENV:-$ROOT/.venv-test}"
PY="${PYTHON:-python3}"
say() { echo "test-setup: $*"; }

stamp_file="$VENV/.pcaa-test-setup"
want_stamp="$( { cat "$HERE/requirements.txt"; "$PY" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
if [ -x "$VENV/bin/python" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want_stamp" ]; then
  say "$VENV up to date"
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  say "creating venv $VENV with $("$PY" --version 2>&1)"
  "$PY" -m venv "$VENV"
else
  say "reusing venv $VENV"
fi
say "installing Tests/Fixtures/smtp/requirements.txt"
"$VENV/bin/python" -m pip --disable-pip-version-check --no-input install -q -r "$HERE/requirements.txt"
"$VENV/bin/python" -c 'import aiosmtpd; print("test-setup: aiosmtpd", aiosmtpd.__version__)'
echo "$want_stamp" > "$stamp_file"
say "done"
