#!/usr/bin/env python3
"""Measures a running pcaa-stt helper on the fixtures in Tests/Fixtures (standard library + sox).

  python3 stt/bench.py --url http://127.0.0.1:8765 [--runs 2] [--fixtures Tests/Fixtures]

For every NAME.stereo.wav: splits the channels with sox (agent = 1, customer = 2), resamples to
16 kHz mono 16-bit, transcribes each with word timestamps, and reports WER against NAME.agent.txt /
NAME.customer.txt, the real-time factor (wall time of the request / audio duration; best of --runs),
and how many recognised words fall inside that channel's turns in NAME.turns.json (labelling check).
Every NAME.mono.wav is transcribed whole against both references joined in turn order.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.dont_write_bytecode = True  # keep stt/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
from wer import wer  # noqa: E402


def post(url: str, path: Path, fields: dict) -> dict:
    boundary = uuid.uuid4().hex
    parts = []
    for k, vs in fields.items():
        for v in (vs if isinstance(vs, list) else [vs]):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
                 f'Content-Type: audio/wav\r\n\r\n'.encode() + path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    req = urllib.request.Request(url + "/v1/audio/transcriptions", data=b"".join(parts), method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())


def measure(url, wav: Path, reference: str, runs: int, turns=None) -> dict:
    best, resp = None, None
    for _ in range(runs):
        t0 = time.monotonic()
        resp = post(url, wav, {"model": "default", "response_format": "verbose_json", "language": "en",
                               "timestamp_granularities[]": ["segment", "word"]})
        dt = time.monotonic() - t0
        best = dt if best is None else min(best, dt)
    w = wer(reference, resp["text"])
    out = {"file": wav.name, "duration": resp["duration"], "seconds": round(best, 3),
           "rtf": round(best / resp["duration"], 4), "wer": round(w["wer"], 4), "ref_words": w["ref_words"],
           "sub": w["sub"], "del": w["del"], "ins": w["ins"], "text": resp["text"]}
    if turns is not None:
        words = resp.get("words", [])
        inside = sum(1 for x in words
                     if any(s - 0.3 <= (x["start"] + x["end"]) / 2 <= e + 0.3 for s, e in turns))
        out["words_in_own_turns"] = f"{inside}/{len(words)}"
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8765")
    ap.add_argument("--fixtures", default=str(Path(__file__).resolve().parent.parent / "Tests" / "Fixtures"))
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    a = ap.parse_args()
    fx = Path(a.fixtures)
    health = json.loads(urllib.request.urlopen(a.url + "/health", timeout=10).read())
    print(f"# helper: {health}", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for stereo in sorted(fx.glob("*.stereo.wav")):
            name = stereo.name[: -len(".stereo.wav")]
            tj = json.loads((fx / f"{name}.turns.json").read_text())
            for ch, party in ((1, "agent"), (2, "customer")):
                wav = Path(tmp) / f"{name}.{party}.16k.wav"
                subprocess.run(["sox", "-R", str(stereo), "-r", "16000", "-b", "16", str(wav), "remix", str(ch)],
                               check=True)
                ref = (fx / f"{name}.{party}.txt").read_text()
                r = measure(a.url, wav, ref, a.runs, tj["by_channel"][party])
                rows.append({"fixture": name, "channel": party, **r})
        for mono in sorted(fx.glob("*.mono.wav")):
            name = mono.name[: -len(".mono.wav")]
            tj = json.loads((fx / f"{name}.turns.json").read_text())
            ref = " ".join(t["text"] for t in tj["turns"])
            wav = Path(tmp) / f"{name}.mono.16k.wav"
            subprocess.run(["sox", "-R", str(mono), "-r", "16000", "-b", "16", str(wav)], check=True)
            rows.append({"fixture": name, "channel": "mono", **measure(a.url, wav, ref, a.runs)})
    model = health.get("model")
    for r in rows:
        r["model"] = model
        if a.json:
            print(json.dumps(r))
    if not a.json:
        print(f"{'model':8} {'fixture':22} {'channel':9} {'dur_s':>6} {'wall_s':>7} {'rtf':>6} {'wer':>6} "
              f"{'S/D/I':>8} {'in_turns':>8}")
        for r in rows:
            print(f"{model:8} {r['fixture']:22} {r['channel']:9} {r['duration']:6.2f} {r['seconds']:7.2f} "
                  f"{r['rtf']:6.3f} {r['wer']:6.3f} {str(r['sub'])+'/'+str(r['del'])+'/'+str(r['ins']):>8} "
                  f"{r.get('words_in_own_turns', '-'):>8}")
        for r in rows:
            print(f"# {r['fixture']}/{r['channel']}: {r['text']}")
    tot_ref = sum(r["ref_words"] for r in rows if r["channel"] != "mono")
    tot_err = sum(r["sub"] + r["del"] + r["ins"] for r in rows if r["channel"] != "mono")
    tot_dur = sum(r["duration"] for r in rows if r["channel"] != "mono")
    tot_s = sum(r["seconds"] for r in rows if r["channel"] != "mono")
    print(f"# {model}: per-channel overall WER {tot_err / max(tot_ref, 1):.3f} "
          f"({tot_err}/{tot_ref} words), RTF {tot_s / tot_dur:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
