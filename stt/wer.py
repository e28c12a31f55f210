#!/usr/bin/env python3
"""Word error rate: word-level Levenshtein distance on normalised lowercase text (standard library only).

  python3 stt/wer.py REFERENCE HYPOTHESIS     each a file path or a literal string
  prints: wer=0.1234 ref_words=N sub=S del=D ins=I

Normalisation: lowercase, apostrophes dropped (haven't -> havent), every other non-alphanumeric
character becomes a space, dotted acronyms joined (P.I.N. -> pin), whitespace collapsed, and a few spelling variants unified (EQUIVALENT).
"""

from __future__ import annotations

import os
import re
import sys

EQUIVALENT = {"ok": "okay", "mr": "mister", "mrs": "missus"}


def normalize(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("'", "")
    # dotted acronyms: p.i.n. -> pin, s.m.s -> sms
    text = re.sub(r"\b(?:[a-z]\.){2,}[a-z]?\b\.?", lambda m: m.group(0).replace(".", ""), text)
    words = re.sub(r"[^0-9a-z\u0900-\u097f]+", " ", text).split()
    return [EQUIVALENT.get(w, w) for w in words]


def align(ref: list[str], hyp: list[str]) -> tuple[int, int, int]:
    """Minimum-edit alignment; returns (substitutions, deletions, insertions)."""
    # each cell: (cost, subs, dels, ins)
    prev = [(j, 0, 0, j) for j in range(len(hyp) + 1)]
    for i in range(1, len(ref) + 1):
        cur = [(i, 0, i, 0)]
        for j in range(1, len(hyp) + 1):
            if ref[i - 1] == hyp[j - 1]:
                best = prev[j - 1]
            else:
                s, d, n = prev[j - 1], prev[j], cur[j - 1]
                best = min((s[0] + 1, s[1] + 1, s[2], s[3]),
                           (d[0] + 1, d[1], d[2] + 1, d[3]),
                           (n[0] + 1, n[1], n[2], n[3] + 1))
            cur.append(best)
        prev = cur
    _, s, d, n = prev[-1]
    return s, d, n


def wer(reference: str, hypothesis: str) -> dict:
    ref, hyp = normalize(reference), normalize(hypothesis)
    s, d, n = align(ref, hyp)
    errors = s + d + n
    rate = errors / len(ref) if ref else (0.0 if not hyp else float("inf"))
    return {"wer": rate, "ref_words": len(ref), "hyp_words": len(hyp), "sub": s, "del": d, "ins": n}


def _text(arg: str) -> str:
    if os.path.isfile(arg):
        with open(arg, encoding="utf-8") as f:
            return f.read()
    return arg


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    r = wer(_text(argv[0]), _text(argv[1]))
    print(f"wer={r['wer']:.4f} ref_words={r['ref_words']} sub={r['sub']} del={r['del']} ins={r['ins']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
