"""A test SMTP server (aiosmtpd) on a free loopback port, for pcaa's e-mail notifier tests.

    python smtp_server.py --dir DIR [--auth USER:PASSWORD] [--tls-cert CERT --tls-key KEY [--implicit-tls]]
                          [--refuse ADDRESS]... [--rcpt-reply "452 ..."] [--data-reply "451 ..."]

Writes the port it listens on to DIR/port once ready. Each accepted message becomes DIR/msg-N.eml (the raw DATA
bytes as received, dot-unstuffed) and DIR/msg-N.json (envelope, AUTH login, TLS, and Python's own parse of the
message: decoded headers, decoded parts, line-ending and line-length checks), the JSON written last. Exits when
stdin closes (the test ends) or on SIGTERM.
"""
import argparse
import asyncio
import email
import email.policy
import email.utils
import json
import os
import ssl
import sys
import threading
import warnings

warnings.filterwarnings("ignore")

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def analyse(raw: bytes) -> dict:
    """Python's independent reading of the message, for the test to compare with what was sent."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b"\r\n")
    result = {
        "bare_lf": sum(1 for line in lines if b"\n" in line),
        "bare_cr": sum(1 for line in lines if b"\r" in line),
        "max_line_octets": max((len(line) for line in lines), default=0),
        "ends_with_crlf": raw.endswith(b"\r\n"),
        "header_names": list(message.keys()),
        "headers": {},
        "defects": [type(d).__name__ for d in message.defects],
        "content_type": message.get_content_type(),
        "parts": [],
    }
    for name in ("From", "To", "Subject", "Message-ID", "Date", "MIME-Version"):
        value = message[name]
        result["headers"][name] = None if value is None else str(value)
    for name in ("From", "To"):
        header = message[name]
        if header is not None and header.addresses:
            result[name.lower()] = {"display_name": header.addresses[0].display_name, "addr_spec": header.addresses[0].addr_spec}
    try:
        result["date_valid"] = email.utils.parsedate_to_datetime(message["Date"]) is not None
    except Exception:  # noqa: BLE001 - any failure means an invalid date
        result["date_valid"] = False
    for part in message.walk():
        result["defects"] += [type(d).__name__ for d in part.defects]
        if part.is_multipart():
            continue
        result["parts"].append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "content": part.get_content(),
        })
    return result


class Handler:
    def __init__(self, directory, refuse, rcpt_reply, data_reply):
        self.directory = directory
        self.refuse = {address.lower() for address in refuse}
        self.rcpt_reply = rcpt_reply
        self.data_reply = data_reply
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: mailbox unavailable"
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.count += 1
        base = os.path.join(self.directory, f"msg-{self.count}")
        raw = envelope.original_content
        with open(base + ".eml", "wb") as handle:
            handle.write(raw)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_login": login,
            # STARTTLS sets session.ssl; with implicit TLS the transport itself is the TLS one.
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "message": analyse(raw),
        }
        with open(base + ".json.tmp", "w") as handle:
            json.dump(record, handle)
        os.rename(base + ".json.tmp", base + ".json")
        return f"250 2.0.0 Ok: queued as {self.count}"


def authenticator_for(credentials):
    user, _, password = credentials.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return authenticate


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (smtps) instead of STARTTLS")
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--rcpt-reply")
    parser.add_argument("--data-reply")
    args = parser.parse_args()

    handler = Handler(args.dir, args.refuse, args.rcpt_reply, args.data_reply)
    options = {"hostname": "smtp.test", "decode_data": False}
    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if not args.implicit_tls:
            options.update(tls_context=context, require_starttls=True)
    if args.auth:
        options.update(authenticator=authenticator_for(args.auth), auth_required=True, auth_require_tls=bool(args.tls_cert))

    loop = asyncio.get_running_loop()
    implicit = context if args.implicit_tls else None
    server = await loop.create_server(lambda: SMTP(handler, **options), host="127.0.0.1", port=0, ssl=implicit)
    port = server.sockets[0].getsockname()[1]
    with open(os.path.join(args.dir, "port.tmp"), "w") as handle:
        handle.write(str(port))
    os.rename(os.path.join(args.dir, "port.tmp"), os.path.join(args.dir, "port"))

    stop = asyncio.Event()
    # The test holds our stdin open; when it closes (test over, or the test process died) we exit.
    threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop.set)), daemon=True).start()
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
