#!/usr/bin/env bash
# Regenerates the synthetic call recordings in this folder from the *.script.txt files.
#
#   bash Tests/Fixtures/make_fixtures.sh            # all scripts
#   bash Tests/Fixtures/make_fixtures.sh NAME ...   # only these (NAME = file name without .script.txt)
#
# Needs: espeak-ng, sox/soxi, python3 (standard library only). Output is byte-for-byte repeatable
# for a given espeak-ng/sox version (sox runs with -R: fixed random seed for the line noise).
#
# For each NAME.script.txt (one turn per line, "agent: text" or "customer: text") it writes:
#   NAME.stereo.wav     8 kHz 16-bit stereo, agent = left (ch 1), customer = right (ch 2),
#                       the idle channel carries only faint white line noise, telephone band 300-3400 Hz
#   NAME.agent.txt      reference transcript of the agent channel (lowercase, no punctuation, one line)
#   NAME.customer.txt   reference transcript of the customer channel
#   NAME.turns.json     exact start/end seconds of every turn, with speaker and channel
# and, for the scripts listed in MONO_MIXDOWN, NAME.mono.wav (8 kHz 16-bit mono sum of both channels).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

AGENT_VOICE="${AGENT_VOICE:-en-us}"          # espeak-ng default US English, male
CUSTOMER_VOICE="${CUSTOMER_VOICE:-en-gb+f3}" # British English with the female variant f3
SPEED="${SPEED:-150}"                        # words per minute
RATE=8000
LEAD_S=0.40                                  # silence before the first turn
TAIL_S=0.50                                  # silence after the last turn
GAPS_S=(0.60 0.80 0.50 0.70 0.65 0.55 0.75)  # silences between turns, cycled
NOISE_VOL=0.002                              # line noise amplitude on both channels all the time
MONO_MIXDOWN="${MONO_MIXDOWN:-support_card_block}"

for tool in espeak-ng sox soxi python3; do
  command -v "$tool" >/dev/null || { echo "make_fixtures: $tool not found" >&2; exit 1; }
done
export SOX_OPTS="-R -D -V1"   # repeatable noise, no dither, only errors

if [ "$#" -gt 0 ]; then names=("$@"); else
  names=(); for f in *.script.txt; do names+=("${f%.script.txt}"); done
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

samples() { soxi -s "$1"; }
secs_to_samples() { python3 -c "import sys; print(round(float(sys.argv[1]) * $RATE))" "$1"; }
silence() { sox -r "$RATE" -c 1 -n -b 16 "$2" trim 0 "${1}s"; }   # silence N_SAMPLES OUT

for name in "${names[@]}"; do
  script="$name.script.txt"
  [ -f "$script" ] || { echo "make_fixtures: no $script" >&2; exit 1; }
  echo "== $name"
  d="$WORK/$name"; mkdir -p "$d"
  agent_parts=(); customer_parts=(); turns_tsv="$d/turns.tsv"; : > "$turns_tsv"
  pos=$(secs_to_samples "$LEAD_S")
  silence "$pos" "$d/lead.wav"; agent_parts+=("$d/lead.wav"); customer_parts+=("$d/lead.wav")
  i=0
  while IFS= read -r line || [ -n "$line" ]; do
    [ -z "${line// }" ] && continue
    speaker="${line%%:*}"; text="${line#*:}"; text="${text# }"
    case "$speaker" in
      agent) voice="$AGENT_VOICE"; ch=0 ;;
      customer) voice="$CUSTOMER_VOICE"; ch=1 ;;
      *) echo "make_fixtures: $script: bad speaker '$speaker'" >&2; exit 1 ;;
    esac
    if [ "$i" -gt 0 ]; then
      gap=$(secs_to_samples "${GAPS_S[$(( (i - 1) % ${#GAPS_S[@]} ))]}")
      silence "$gap" "$d/gap$i.wav"; agent_parts+=("$d/gap$i.wav"); customer_parts+=("$d/gap$i.wav")
      pos=$((pos + gap))
    fi
    espeak-ng -v "$voice" -s "$SPEED" -w "$d/raw$i.wav" "$text"
    # 8 kHz mono 16-bit, espeak's own leading/trailing silence trimmed, peak at -3 dBFS
    sox "$d/raw$i.wav" -r "$RATE" -b 16 -c 1 "$d/turn$i.wav" \
      silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse gain -n -3
    n=$(samples "$d/turn$i.wav")
    silence "$n" "$d/idle$i.wav"
    if [ "$ch" = 0 ]; then agent_parts+=("$d/turn$i.wav"); customer_parts+=("$d/idle$i.wav")
    else agent_parts+=("$d/idle$i.wav"); customer_parts+=("$d/turn$i.wav"); fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$speaker" "$ch" "$pos" "$((pos + n))" >> "$turns_tsv"
    pos=$((pos + n)); i=$((i + 1))
  done < "$script"
  tail_n=$(secs_to_samples "$TAIL_S")
  silence "$tail_n" "$d/tail.wav"; agent_parts+=("$d/tail.wav"); customer_parts+=("$d/tail.wav")
  total=$((pos + tail_n))

  sox "${agent_parts[@]}" "$d/agent_clean.wav"
  sox "${customer_parts[@]}" "$d/customer_clean.wav"
  for party in agent customer; do
    sox -r "$RATE" -c 1 -n -b 16 "$d/noise_$party.wav" synth "${total}s" whitenoise vol "$NOISE_VOL"
    # speech + line noise, then the telephone band
    sox -m -v 1 "$d/${party}_clean.wav" -v 1 "$d/noise_$party.wav" -b 16 "$d/$party.wav" sinc 300-3400
  done
  sox -M "$d/agent.wav" "$d/customer.wav" -r "$RATE" -b 16 "$name.stereo.wav"
  case " $MONO_MIXDOWN " in
    *" $name "*) sox "$name.stereo.wav" -b 16 "$name.mono.wav" remix 1,2 ;;
  esac

  python3 - "$name" "$script" "$turns_tsv" "$RATE" "$total" "$AGENT_VOICE" "$CUSTOMER_VOICE" "$SPEED" <<'PY'
import json, re, sys
name, script, tsv, rate, total, agent_voice, customer_voice, speed = sys.argv[1:]
rate = int(rate)
def norm(t):
    t = t.lower().replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())
lines = [l for l in open(script, encoding="utf-8").read().splitlines() if l.strip()]
rows = [l.split("\t") for l in open(tsv).read().splitlines()]
turns, refs = [], {"agent": [], "customer": []}
for (idx, speaker, ch, s, e), line in zip(rows, lines):
    text = line.split(":", 1)[1].strip()
    refs[speaker].append(norm(text))
    turns.append({"index": int(idx), "speaker": speaker, "channel": int(ch),
                  "start": round(int(s) / rate, 4), "end": round(int(e) / rate, 4),
                  "text": text})
doc = {
    "name": name,
    "sample_rate": rate,
    "duration": round(int(total) / rate, 4),
    "channels": {"agent": 0, "customer": 1},
    "voices": {"agent": agent_voice, "customer": customer_voice, "speed_wpm": int(speed)},
    "turns": turns,
    "by_channel": {sp: [[t["start"], t["end"]] for t in turns if t["speaker"] == sp]
                   for sp in ("agent", "customer")},
}
with open(f"{name}.turns.json", "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
for sp, parts in refs.items():
    with open(f"{name}.{sp}.txt", "w") as f:
        f.write(" ".join(parts) + "\n")
print(f"   {len(turns)} turns, {doc['duration']:.2f} s")
PY
  ls -l "$name".*.wav | awk '{print "   " $5 " bytes  " $9}'
done
