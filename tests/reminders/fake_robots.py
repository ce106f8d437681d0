"""A fake DingTalk / WeCom / Feishu robot server on 127.0.0.1, answering as the real ones do.

It checks what the real services check (DingTalk's and Feishu's signatures, the
markdown size limits) and answers HTTP 200 with an error code when a check fails,
as they do; each request is kept for the tests to read.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SECRETS = {"dingtalk": "SEC0123456789abcdef", "feishu": "feishusecret42"}


@dataclass
class Received:
    robot: str  # dingtalk, wecom, feishu
    path: str
    query: dict
    raw: bytes
    payload: dict
    answer: dict


@dataclass
class FakeRobots:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # robots answering errcode 500 ("系统繁忙")

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def webhook(self, robot: str, token: str = "tok123") -> str:
        return {
            "dingtalk": f"{self.origin}/robot/send?access_token={token}",
            "wecom": f"{self.origin}/cgi-bin/webhook/send?key={token}",
            "feishu": f"{self.origin}/open-apis/bot/v2/hook/{token}",
        }[robot]

    def delivered(self, robot: str) -> list[Received]:
        return [r for r in self.received if r.robot == robot and not _failed(r.answer)]


def _failed(answer: dict) -> bool:
    return bool(answer.get("errcode") or answer.get("code"))


def _dingtalk(query: dict, payload: dict) -> dict:
    # DingTalk: sign = base64(HmacSHA256(secret, timestamp + "\n" + secret)), URL-encoded once; within an hour.
    timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
    secret = SECRETS["dingtalk"]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest())
    if not timestamp or abs(time.time() * 1000 - int(timestamp)) > 3600_000 or sign != expected.decode():
        return {"errcode": 310000, "errmsg": "sign not match"}
    if len(payload.get("markdown", {}).get("text", "").encode()) > 20000:
        return {"errcode": 460101, "errmsg": "message too long"}
    return {"errcode": 0, "errmsg": "ok"}


def _wecom(query: dict, payload: dict) -> dict:
    if len(payload.get("markdown", {}).get("content", "").encode()) > 4096:
        return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
    return {"errcode": 0, "errmsg": "ok"}


def _feishu(query: dict, payload: dict) -> dict:
    # Feishu: sign = base64(HmacSHA256(key=timestamp + "\n" + secret, msg="")).
    timestamp = payload.get("timestamp", "")
    key = f"{timestamp}\n{SECRETS['feishu']}".encode()
    if payload.get("sign") != base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode():
        return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
    if len(json.dumps(payload, ensure_ascii=False).encode()) > 20 * 1024:
        return {"code": 9499, "msg": "request body too large"}
    return {"code": 0, "msg": "success"}


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        fake: FakeRobots = self.server.fake
        parts = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        payload = json.loads(raw.decode("utf-8"))
        query = parse_qs(parts.query)
        robot = (
            "dingtalk"
            if parts.path == "/robot/send"
            else "wecom"
            if parts.path == "/cgi-bin/webhook/send"
            else "feishu"
        )
        answer = (
            {"errcode": 500, "errmsg": "系统繁忙"}
            if robot in fake.broken
            else {"dingtalk": _dingtalk, "wecom": _wecom, "feishu": _feishu}[robot](query, payload)
        )
        fake.received.append(Received(robot, parts.path, query, raw, payload, answer))
        body = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start() -> FakeRobots:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    fake = FakeRobots(server=server)
    server.fake = fake
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake
