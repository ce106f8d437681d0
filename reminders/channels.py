"""Messenger channels: DingTalk, WeCom and Feishu group robots, through apprise's plugins.

apprise (https://github.com/caronc/apprise) supplies the robots' token checks,
DingTalk's HMAC signature, throttling, timeouts and certificate checks. What it
lacks, written here and nothing more:

- the host comes from the webhook the office pasted (private deployments and
  government network proxies use their own hosts; the tests a fake server);
- DingTalk's ``sign`` is sent URL-encoded once (apprise 2.3 quotes it and
  requests quotes it again, which DingTalk answers with 310000 "sign not match");
- the robots answer HTTP 200 with an error code in the body (errcode / code):
  that is a failure, not a delivery;
- WeCom markdown (apprise sends WeCom plain text) and Feishu's signature;
- error texts with the webhook token and secret masked, since they are stored
  and shown in the admin.
"""

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from apprise.exception import AppriseImproperlyConfigured
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.feishu import NotifyFeishu
from apprise.plugins.wecombot import NotifyWeComBot
from django.core.exceptions import ValidationError


class ChannelError(Exception):
    """A robot refused or could not be reached. The message is safe to store and show (credentials masked)."""


@dataclass(frozen=True)
class Webhook:
    origin: str  # scheme://host[:port] as pasted
    token: str


def parse_webhook(kind: str, address: str) -> Webhook:
    """The origin and token of a robot's webhook address, as copied from the group's robot settings.

    kind is Channel.Kind (dingtalk: …/robot/send?access_token=T; wecom:
    …/cgi-bin/webhook/send?key=T; feishu: …/open-apis/bot/v2/hook/T). Raises
    ValidationError (Chinese) for anything else.
    """
    parts = urlsplit(address.strip())
    query = parse_qs(parts.query)
    token = ""
    if parts.scheme in ("http", "https") and parts.netloc:
        if kind == "dingtalk" and parts.path.rstrip("/") == "/robot/send":
            token = query.get("access_token", [""])[0]
        elif kind == "wecom" and parts.path.rstrip("/") == "/cgi-bin/webhook/send":
            token = query.get("key", [""])[0]
        elif kind == "feishu" and parts.path.startswith("/open-apis/bot/v2/hook/"):
            token = parts.path.removeprefix("/open-apis/bot/v2/hook/").strip("/")
    if not token:
        raise ValidationError({"webhook": EXAMPLES.get(kind, "请选择类型并填写机器人的 Webhook 地址。")})
    return Webhook(origin=f"{parts.scheme}://{parts.netloc}", token=token)


EXAMPLES = {
    "dingtalk": "钉钉机器人地址应形如 https://oapi.dingtalk.com/robot/send?access_token=…",
    "wecom": "企业微信机器人地址应形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
    "feishu": "飞书机器人地址应形如 https://open.feishu.cn/open-apis/bot/v2/hook/…",
}


def validate_webhook(kind: str, address: str, secret: str) -> None:
    """Raise ValidationError (Chinese, per field) unless apprise accepts this robot's token and secret."""
    try:
        robot(kind, address, secret)
    except AppriseImproperlyConfigured:
        raise ValidationError(
            {"secret": "密钥格式不正确：请从机器人设置页完整复制（钉钉为 SEC 开头的字母数字）。"}
        ) from None


def mask(address: str) -> str:
    """The webhook for display: host and the token's last 4 characters (`https://oapi.dingtalk.com/…a1b2`)."""
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}/…{address[-4:]}" if parts.netloc else "…"


class _Robot:
    """The posting and answer checking the three robots share."""

    error_key = "errcode"

    def _post(self, url: str, payload: dict, params: dict | None = None) -> None:
        self.throttle()
        try:
            response = requests.post(
                url,
                data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                params=params,
                headers={"User-Agent": self.app_id, "Content-Type": "application/json; charset=utf-8"},
                verify=self.verify_certificate,
                timeout=self.request_timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise ChannelError(self._redact(f"{type(exc).__name__}: {exc}")) from None
        if response.status_code != 200:
            raise ChannelError(self._redact(f"HTTP {response.status_code}: {response.text[:300]}"))
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        code = answer.get(self.error_key, answer.get("code", 0)) if isinstance(answer, dict) else 0
        if code:
            message = answer.get("errmsg") or answer.get("msg") or ""
            raise ChannelError(self._redact(f"{code}: {message}"))

    def _redact(self, text: str) -> str:
        for credential in self.credentials or ():
            if credential:
                text = text.replace(credential, "***")
        return text[:2000]


class DingTalkRobot(_Robot, NotifyDingTalk):
    """钉钉 custom robot: markdown message, signed when the robot has 加签 on. Text limit 20 000 bytes."""

    max_bytes = 18000

    def __init__(self, *, origin: str, **kwargs):
        super().__init__(**kwargs)
        self.notify_url = origin + "/robot/send?access_token={token}"
        self.credentials = (self.token, self.secret)

    def get_signature(self):
        """(timestamp in ms, base64 HMAC-SHA256 of "timestamp\\nsecret"), left for requests to URL-encode once."""
        timestamp, quoted = super().get_signature()
        return timestamp, unquote(quoted)

    def post_markdown(self, title: str, text: str) -> None:
        params = dict(zip(("timestamp", "sign"), self.get_signature(), strict=True)) if self.secret else None
        payload = {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}}
        self._post(self.notify_url.format(token=self.token), payload, params)


class WeComRobot(_Robot, NotifyWeComBot):
    """企业微信 group robot: markdown content, at most 4096 bytes. No signing (the key is the secret)."""

    max_bytes = 3900

    def __init__(self, *, origin: str, **kwargs):
        super().__init__(**kwargs)
        self.api_url = f"{origin}/cgi-bin/webhook/send?key={self.key}"
        self.credentials = (self.key,)

    def post_markdown(self, title: str, text: str) -> None:
        self._post(self.api_url, {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n\n{text}"}})


class FeishuRobot(_Robot, NotifyFeishu):
    """飞书 custom robot: an interactive card with lark_md text; signed when 签名校验 is on. Body limit 20 KB."""

    max_bytes = 18000
    error_key = "code"

    def __init__(self, *, origin: str, secret: str = "", **kwargs):
        super().__init__(**kwargs)
        self.notify_url = origin + "/open-apis/bot/v2/hook/{token}"
        self.secret = secret
        self.credentials = (self.token, secret)

    def post_markdown(self, title: str, text: str) -> None:
        payload = {
            "msg_type": "interactive",
            "card": {
                "config": {"wide_screen_mode": True},
                "header": {"title": {"tag": "plain_text", "content": title}, "template": "blue"},
                "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": text}}],
            },
        }
        if self.secret:
            # Feishu's rule: HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message, base64.
            timestamp = str(int(time.time()))
            digest = hmac.new(f"{timestamp}\n{self.secret}".encode(), b"", hashlib.sha256).digest()
            payload |= {"timestamp": timestamp, "sign": base64.b64encode(digest).decode()}
        self._post(self.notify_url.format(token=self.token), payload)


def robot(kind: str, address: str, secret: str = "") -> DingTalkRobot | WeComRobot | FeishuRobot:
    """The apprise plugin for a channel's kind, webhook and secret. Raises ValidationError for a bad address."""
    hook = parse_webhook(kind, address)
    if kind == "dingtalk":
        return DingTalkRobot(origin=hook.origin, token=hook.token, secret=secret or None)
    if kind == "wecom":
        return WeComRobot(origin=hook.origin, key=hook.token)
    return FeishuRobot(origin=hook.origin, token=hook.token, secret=secret)


LIMITS = {"dingtalk": DingTalkRobot.max_bytes, "wecom": WeComRobot.max_bytes, "feishu": FeishuRobot.max_bytes}


def _link_text(text: str) -> str:
    # Square brackets in a title would end the markdown link early.
    return text.replace("[", "【").replace("]", "】")


def item_line(item) -> str:
    """One reminder item (rules.Item) as a markdown list line linking to its task page, in plain Chinese."""
    link = f"[{item.task_number}. {_link_text(item.task_title)}]({item.url})"
    if item.kind == "overdue":
        return f"- {link}：{item.what} {item.due:%Y-%m-%d}，已逾期 {item.days} 天"
    if item.kind == "report_due":
        return f"- {link}：{item.what}，{item.due.month}月{item.due.day}日截止，还有 {item.days} 天"
    when = f"还有 {item.days} 天" if item.days else "今天到期"
    return f"- {link}：{item.what} {item.due:%Y-%m-%d}，{when}"


SECTIONS = [("overdue", "逾期"), ("due_soon", "临近时限"), ("report_due", "季度进展报告未填报")]


def digest_markdown(*, kind: str, intro: str, items: list, more_url: str) -> str:
    """The day's digest for a robot of ``kind``: an intro line, items grouped by kind, each linking to its task.

    Stays under the robot's limit (LIMITS, UTF-8 bytes): items that do not fit
    are left out and counted, with a link to the full list at ``more_url``.
    """
    budget = LIMITS[kind] - 300  # room for the heading the robot adds and the "more" line
    lines, shown = [intro], 0
    for section, label in SECTIONS:
        section_items = [i for i in items if i.kind == section]
        if not section_items:
            continue
        header = ["", f"**【{label}】**"]
        for item in section_items:
            line = item_line(item)
            if len("\n".join([*lines, *header, line]).encode()) > budget:
                break
            lines += [*header, line]
            header, shown = [], shown + 1
    if shown < len(items):
        lines += ["", f"……另有 {len(items) - shown} 项未列出，[查看全部]({more_url})"]
    else:
        lines += ["", f"[登录系统填报进展]({more_url})"]
    return _line_breaks(kind, "\n".join(lines))


def _line_breaks(kind: str, text: str) -> str:
    # DingTalk's markdown joins lines split by a single newline in some clients: give it paragraph breaks.
    return re.sub(r"\n+", "\n\n", text) if kind == "dingtalk" else text


def chase_markdown(*, kind: str, department: str, task, message: str, url: str) -> str:
    """A 催办 for a robot of ``kind``: who is chased, for which task (linked), and the office's words, within limits."""
    head = f"督查办催办**{department}**：[{task.number}. {_link_text(task.title)}]({url})"
    words = message or "请尽快报送进展情况。"
    budget = LIMITS[kind] - 300 - len(head.encode())
    if len(words.encode()) > budget:
        words = words.encode()[:budget].decode(errors="ignore") + f"……[查看全文]({url})"
    return _line_breaks(kind, f"{head}\n\n> " + words.replace("\n", "\n> "))
