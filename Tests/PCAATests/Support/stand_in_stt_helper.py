#!/usr/bin/env python3
"""Stand-in for stt/server.py in supervisor tests: same command line, /health and the OpenAI-compatible
transcription endpoint (a fixed two-segment verbose_json), standard library only, starts instantly."""
import argparse, json, os, sys, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--model", default="default")
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--exit-on-stdin-eof", action="store_true")
args = parser.parse_args()

if args.exit_on_stdin_eof:
    def watch_stdin():
        while sys.stdin.buffer.read(4096):
            pass
        os._exit(0)
    threading.Thread(target=watch_stdin, daemon=True).start()

class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self._send(200, {"status": "ok", "model": args.model, "pid": os.getpid()})
        else:
            self._send(404, {"error": {"message": "not found", "type": "invalid_request_error", "code": None}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        if self.path != "/v1/audio/transcriptions":
            self._send(404, {"error": {"message": "not found", "type": "invalid_request_error", "code": None}})
            return
        segments = [{"id": 0, "start": 0.0, "end": 1.0, "text": " hello from the stand-in", "avg_logprob": -0.2,
                     "no_speech_prob": 0.01, "compression_ratio": 1.1}]
        self._send(200, {"task": "transcribe", "language": "english", "duration": 1.0,
                         "text": " hello from the stand-in", "segments": segments})

    def log_message(self, *_):
        pass

ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()
