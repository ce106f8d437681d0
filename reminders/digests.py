"""The day's digest e-mail (templates/emails/digest-*): its item lines, made once per department.

A department's digest lists every item due that day, the same list for each of
its staff; at 100,000 assignments that is thousands of lines per digest.
Django's template engine spends microseconds on each variable of each line, so
looping over the items in digest-body.txt and digest-body.html, once per
recipient, was nine tenths of the sweep's time. The lines are formatted here
instead, once per department, in the words the templates used (and
channels.item_line uses for robots): the templates keep the greeting, the
headings and the footer, and put in the blocks made here.
"""

from html import escape  # what django.utils.html.escape (the templates' autoescape) does, without marking safe

from django.utils.safestring import SafeString, mark_safe

from .rules import DUE_SOON, OVERDUE, REPORT_DUE, Item

SECTIONS = (OVERDUE, DUE_SOON, REPORT_DUE)  # the template variables: overdue_text, overdue_html, due_soon_text, …


def _when(item: Item) -> str:
    """What follows an item's what: `` 2021-06-30，已逾期 3 天`` / ``，6月25日截止，还有 5 天`` (a report)."""
    if item.kind == REPORT_DUE:
        return f"，{item.due.month}月{item.due.day}日截止，还有 {item.days} 天"
    return f" {item.due:%Y-%m-%d}，{item.days_label}"


def digest_lines(item: Item, when: str | None = None) -> tuple[str, str]:
    """One item as (plain-text line, HTML line) of the e-mail.

    Text: ``- 3. 标题：完成时限 2021-06-30，已逾期 3 天`` and the task page's
    address on the next line. HTML: a list entry whose title links to the
    task page, every value escaped once. ``when`` is _when(item), when the
    caller already has it.
    """
    when = item.what + (_when(item) if when is None else when)
    title = f"{item.task_number}. {item.task_title}"
    return (
        f"- {title}：{when}\n  {item.url}\n",
        f'<li><a href="{escape(item.url)}">{escape(title)}</a>：{escape(when)}</li>',
    )


def digest_blocks(items: list[Item]) -> dict[str, str | SafeString | int]:
    """The item blocks the digest templates put in, for ``items`` (rules.Item, in the order shown).

    Keys: ``overdue_text``, ``overdue_html``, ``due_soon_text``, ``due_soon_html``,
    ``report_due_text``, ``report_due_html`` ('' for a section with no items;
    the HTML marked safe, its values escaped here) and ``count``, the number of
    items. The same for every recipient of one department: make it once.
    """
    texts: dict[str, list[str]] = {kind: [] for kind in SECTIONS}
    htmls: dict[str, list[str]] = {kind: [] for kind in SECTIONS}
    whens: dict[tuple, str] = {}  # (kind, due, days) → _when: thousands of items share a few dozen
    for item in items:
        key = (item.kind, item.due, item.days)
        if key not in whens:
            whens[key] = _when(item)
        text, html = digest_lines(item, whens[key])
        texts[item.kind].append(text)
        htmls[item.kind].append(html)
    blocks: dict[str, str | SafeString | int] = {"count": len(items)}
    for kind in SECTIONS:
        blocks[f"{kind}_text"] = "".join(texts[kind])
        blocks[f"{kind}_html"] = mark_safe("".join(htmls[kind]))  # noqa: S308 - escaped in digest_lines
    return blocks
