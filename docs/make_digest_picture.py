"""Draw docs/reminders-dingtalk-digest.png: a day's digest as it arrives in a DingTalk group (for docs/reminders.md).

The message text is the product's own (reminders.channels.digest_markdown, the
DingTalk robot's heading); only the chat around it is a mock. Run from the
project root: ``.venv/bin/python docs/make_digest_picture.py`` (needs Chromium).
"""

import datetime
import html
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplan.settings")
os.environ.setdefault("SITE_URL", "https://dcb.example.gov.cn")

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from reminders.channels import digest_markdown  # noqa: E402
from reminders.rules import DUE_SOON, OVERDUE, Item  # noqa: E402

D = datetime.date
ITEMS = [
    Item(OVERDUE, 7, 5, "推进人防指挥所改造", "完成时限", D(2026, 9, 20), 10),
    Item(DUE_SOON, 3, 2, "开展人防宣传月活动", "完成时限", D(2026, 10, 5), 5),
    Item(DUE_SOON, 12, 9, "人防工程专项检查", "时间节点：三季度完成排查", D(2026, 9, 30), 0),
]
TITLE = "【工作要点提醒】9月30日：3 项事项需要关注"


def to_html(markdown: str) -> str:
    """Enough of DingTalk's markdown for the digest: ### heading, **bold**, [links](…), - lists, blank lines."""
    out = []
    for line in markdown.split("\n"):
        text = html.escape(line)
        text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
        text = re.sub(r"\[(.+?)\]\((.+?)\)", r'<a href="\2">\1</a>', text)
        if text.startswith("### "):
            out.append(f"<h3>{text[4:]}</h3>")
        elif text.startswith("- "):
            out.append(f"<li>{text[2:]}</li>")
        elif text:
            out.append(f"<p>{text}</p>")
    return "\n".join(out)


PAGE = """<!doctype html><meta charset="utf-8"><style>
body {{ margin: 0; background: #f2f3f5; font: 15px/1.55 "Noto Sans CJK SC", sans-serif; color: #171a1d; }}
.bar {{ background: #fff; padding: 12px 16px; font-weight: 600; border-bottom: 1px solid #e5e6eb; text-align: center; }}
.msg {{ display: flex; gap: 10px; padding: 14px 12px; }}
.avatar {{ flex: none; width: 40px; height: 40px; border-radius: 8px; background: #3296fa; color: #fff;
  display: grid; place-items: center; font-weight: 700; }}
.name {{ font-size: 12px; color: #8f959e; margin-bottom: 4px; }}
.bubble {{ background: #fff; border-radius: 4px 12px 12px 12px; padding: 10px 14px; max-width: 300px; }}
h3 {{ font-size: 16px; margin: 2px 0 8px; }} p {{ margin: 6px 0; }} li {{ margin: 4px 0 4px 18px; }}
a {{ color: #3296fa; text-decoration: none; }}
</style>
<div class="bar">甲区人防工作群（12）</div>
<div class="msg"><div class="avatar">督</div><div>
<div class="name">工作要点提醒 · 机器人 09:00</div>
<div class="bubble">{body}</div></div></div>"""


def main() -> None:
    markdown = digest_markdown(
        kind="dingtalk",
        intro="截至 2026年9月30日，甲区有以下事项需要关注：",
        items=ITEMS,
        more_url="https://dcb.example.gov.cn/my-work/",
    )
    text = f"### {TITLE}\n\n{markdown}"  # as reminders.channels.DingTalkRobot sends it
    chromium = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 600}, device_scale_factor=2)
        page.set_content(PAGE.format(body=to_html(text)))
        page.screenshot(path=str(ROOT / "docs" / "reminders-dingtalk-digest.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
