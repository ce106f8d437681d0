"""The parts of a document around its items: title, year, issuer and published date.

Rule source: DESIGN.md, "Reading a published document" → Title and year. The
title is the plan's own (2023年…工作要点, …任务分解方案, …工作清单, traditional
characters too), never the notice around it (关于印发《…》的通知) nor a sentence
quoting it; a title split over two lines is one title. The issuer and date
signed after the last item (or under the notice) are the plan's issuer and
published date.
"""

import datetime
import re

from ..numerals import chinese_to_int
from .chars import fold

TITLE_WORDS = re.compile(
    r"工作要点|要点|工作计[划画]|工作安排|任务分解|责任分工|分工方案|工作清单|任务清单|重点工作|重点任务|进展情况|推进情况"
    r"|完成情况|实施方案|行动方案|行动计划|工作方案|任务书|台账|一览表|分解表|计划表"
)
# Words of a table's header row: a line made only of these is not a title.
HEADER_WORDS = re.compile(
    r"序号|编号|工作任务|重点任务|任务名称|工作事项|具体内容|工作内容|主要内容|牵头单位|牵头部门|责任单位|责任部门|配合单位"
    r"|完成时限|完成时间|时间节点|备注|进展情况|类别"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_FIRST = re.compile(r"^(?:19|20)\d{2}年")
_CN_YEAR = re.compile(r"(二[〇零○Ｏ][一二三四五六七八九〇零○Ｏ]{2})年")
_NOTICE = re.compile(r"^(?:关于|转发)|(?:的)?(?:通知|通报|批复|函)$")
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[：:]?\s*")
_QUOTED = re.compile(r"《([^》]{4,80})》")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九○Ｏ", "001234567890" + "0")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})")
_CN_DATE = re.compile(
    r"^([〇零一二三四五六七八九○Ｏ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$"
)
_DATE_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_ISSUER = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,40}(?:办公室|局|委员会|委|人民政府|政府|办|厅|中心|小组|指挥部|党委|党组|管委会|总队|支队|院|处|科)$"
)
_PUNCTUATION = re.compile(r"[。，,；;！？]")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")  # （征求意见稿，第二版）: a comma in brackets ends no sentence


def is_title(line: str) -> bool:
    """A line that reads like a plan's title (not a notice, sentence, header row, or page furniture)."""
    folded = _ATTACHMENT.sub("", fold(line))
    return (
        4 <= len(folded) <= 80
        and bool(TITLE_WORDS.search(folded))
        and not _PUNCTUATION.search(_BRACKETED.sub("", folded))
        and not _NOTICE.search(folded)
        and ">" not in folded
        and HEADER_WORDS.sub("", re.sub(r"[\s|｜/]", "", folded)) != ""
    )


def is_notice(line: str) -> bool:
    """True for the notice around a plan (关于印发《…》的通知), not the plan's own title."""
    return bool(_NOTICE.search(line.strip()))


def year_of(text: str) -> int | None:
    """The first year (2023年, or 二〇二三年) in ``text``; None without one."""
    match = _YEAR.search(text) or _CN_YEAR.search(text)
    return int(match.group(1).translate(_CN_DIGITS)) if match else None


def find_title(lines: list[str], is_numbered) -> tuple[int | None, str]:
    """(index of the title's last line, the title) among ``lines``; (None, "") when there is none.

    A line with a year (2021年…工作要点) wins over one without, so a navigation
    bar naming 工作要点 is not taken. When the same title appears again below
    (the page header, then the notice, then the plan), the last one before the
    items is the plan's. A title split over two lines (2023年某市人防 / 工作要点) is joined.
    With no title line, the plan named inside a notice (关于印发《…》的通知) is
    the title, and the index is that line's.
    """
    candidates = [i for i, text in enumerate(lines) if text and not is_numbered(text) and is_title(text)]
    if not candidates:
        return _quoted_title(lines)
    best = next((i for i in candidates if year_of(lines[i])), candidates[0])
    # Once items have begun, the title again is a page header (text copied out of a PDF), not the plan's.
    items_from = next((i for i in range(best + 1, len(lines)) if lines[i] and is_numbered(lines[i])), len(lines))
    same = [i for i in candidates if _clean(lines[i]) == _clean(lines[best]) and i < items_from]
    index = same[-1]
    title = _clean(lines[index])
    before = _neighbour(lines, index, -1)
    if before is not None and not year_of(title) and year_of(lines[before]) and _fragment(lines[before], is_numbered):
        title = _clean(lines[before]) + title
    elif before is not None and _YEAR_FIRST.match(title) and len(title) <= 12 and is_issuer(lines[before]):
        title = _clean(lines[before]) + title  # 某市发展和改革委员会 / 2024年工作要点: the issuer begins the title
    after = _neighbour(lines, index, 1)
    if (
        after is not None
        and len(lines[after]) <= 15
        and _fragment(lines[after], is_numbered)
        and re.search(r"(?:分解|分工|方案|清单|要点|计划|安排|表)$", fold(lines[after]))
    ):
        title, index = title + _clean(lines[after]), after
    return index, title


def _quoted_title(lines: list[str]) -> tuple[int | None, str]:
    for index, text in enumerate(lines[:40]):
        for quoted in _QUOTED.findall(text):
            if TITLE_WORDS.search(fold(quoted)):
                return index, _clean(quoted)
    return None, ""


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", _ATTACHMENT.sub("", text))


def _neighbour(lines: list[str], index: int, step: int) -> int | None:
    other = index + step
    while 0 <= other < len(lines) and not lines[other]:
        other += step
    return other if 0 <= other < len(lines) else None


def _fragment(text: str, is_numbered) -> bool:
    """A short line without punctuation that could be half of a title."""
    return len(text) <= 40 and not _PUNCTUATION.search(text) and not is_numbered(text) and ">" not in text


def date_in(text: str) -> datetime.date | None:
    """The first calendar date in ``text`` (2023年1月22日, 2023-01-22, 二〇二三年一月二十二日); None without one."""
    match = _DATE.search(text)
    if not match:
        cn = _CN_DATE.match(text.strip())
        if not cn:
            return None
        try:
            parts = (int(cn.group(1).translate(_CN_DIGITS)), chinese_to_int(cn.group(2)), chinese_to_int(cn.group(3)))
        except ValueError:
            return None
    else:
        parts = tuple(map(int, match.groups()))
    try:
        return datetime.date(*parts)
    except ValueError:
        return None


def is_date_line(text: str) -> bool:
    """A line that is only a date: the date under a signature."""
    text = text.strip()
    return bool(_DATE_ONLY.match(text) or _CN_DATE.match(text))


def is_issuer(text: str) -> bool:
    """A line that is only the name of an issuing body (某市人民防空办公室)."""
    return bool(_ISSUER.match(fold(text.strip())))


def signature(lines: list[str]) -> tuple[str, datetime.date | None]:
    """(issuer, date) signed in ``lines`` (an org name on the line above a date line); ("", None) without one."""
    for index, text in enumerate(lines):
        if is_date_line(text):
            before = _neighbour(lines, index, -1)
            issuer = lines[before].strip() if before is not None and is_issuer(lines[before]) else ""
            return issuer, date_in(text)
    return "", None
