"""The time-phrase rule: which words in a work item name a date, and which date.

Rule source: DESIGN.md, "Reading a published document". Every date the tracker
reads from a document comes from :func:`find_time_phrases`; nothing else
interprets time words.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from .numerals import chinese_to_int
from .workdays import working_days_after

_QUARTER = (
    {"一": 1, "二": 2, "三": 3, "四": 4} | {str(n): n for n in range(1, 5)} | {"１": 1, "２": 2, "３": 3, "４": 4}
)

# One alternation so that matches never overlap; longer phrases first.
_PATTERN = re.compile(
    r"(?P<workdays>(?:(?P<wd_m>\d{1,2})月(?P<wd_d>\d{1,2})日(?:起|后|之后)?)?"
    r"(?P<wd_n>\d{1,3}|[一二三四五六七八九十]{1,3})个工作日内)"
    r"|(?P<day>(?P<day_m>\d{1,2})月(?P<day_d>\d{1,2})日(?:前|之前))"
    r"|(?P<month_end>(?P<month_m>\d{1,2})月(?:底|末)(?:前|之前)?)"
    r"|(?P<quarter>第?(?P<quarter_n>[一二三四1-4１-４])季度(?:末|底)?(?:前|之前)?)"
    r"|(?P<first_half>上半年)"
    r"|(?P<year_end>下半年|年底前|年底|年内|(?<![健完安])全年)"
)


class TimePhraseError(ValueError):
    """A phrase has the form of a date but names none (say 2月30日前)."""


@dataclass(frozen=True)
class TimePhrase:
    phrase: str  # the words as written, e.g. "10月底前"
    due: datetime.date  # the date they stand for in the plan year
    start: int  # offset of the phrase in the text searched
    opens: datetime.date | None = None  # first day of the period a period phrase (上半年, 三季度) names

    def refines(self, other: "TimePhrase") -> bool:
        """True when this is a deadline inside the period ``other`` names (下半年 … 10月底前)."""
        return self.opens is None and other.opens is not None and other.opens <= self.due <= other.due


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def find_time_phrases(text: str, year: int, *, counted_from: datetime.date | None = None) -> list[TimePhrase]:
    """Find the time phrases in ``text`` and the dates they stand for in ``year``.

    上半年 → 30 June; 下半年, 年内, 年底(前), 全年 → 31 December; (第)一季度 … 四季度
    → the quarter's last day; N月底(前) → the last day of month N; N月N日前 → that day;
    N个工作日内 → the N-th working day (tasks.workdays, the official calendar) after
    the date written before it (3月16日起10个工作日内) or else ``counted_from`` (the
    plan's publication); without either it names no date and is left out.
    Digits may be ASCII or full-width. Returns phrases in text order; dates are
    calendar dates (no time, no zone). A period phrase also says when its period
    opens (``opens``), so that a deadline inside it can refine it.

    Raises TimePhraseError when a phrase names an impossible date (13月底前, 2月30日前).
    """
    found = []
    for match in _PATTERN.finditer(text):
        opens = None
        if match.group("workdays"):
            due = _working_days_phrase(match, year, counted_from)
            if due is None:
                continue
        elif match.group("day"):
            month, day = int(match.group("day_m")), int(match.group("day_d"))
            try:
                due = datetime.date(year, month, day)
            except ValueError:
                raise TimePhraseError(f"“{match.group(0)}”不是{year}年的有效日期") from None
        elif match.group("month_end"):
            month = int(match.group("month_m"))
            if not 1 <= month <= 12:
                raise TimePhraseError(f"“{match.group(0)}”中的月份无效")
            due = _month_end(year, month)
        elif match.group("quarter"):
            quarter = _QUARTER[match.group("quarter_n")]
            opens, due = datetime.date(year, quarter * 3 - 2, 1), _month_end(year, quarter * 3)
        elif match.group("first_half"):
            opens, due = datetime.date(year, 1, 1), datetime.date(year, 6, 30)
        else:
            second_half = match.group(0) == "下半年"
            opens, due = datetime.date(year, 7 if second_half else 1, 1), datetime.date(year, 12, 31)
        found.append(TimePhrase(phrase=match.group(0), due=due, start=match.start(), opens=opens))
    return found


def _working_days_phrase(match: re.Match, year: int, counted_from: datetime.date | None) -> datetime.date | None:
    try:
        count = int(match.group("wd_n")) if match.group("wd_n").isdigit() else chinese_to_int(match.group("wd_n"))
    except ValueError:
        return None  # 十十个工作日内: not a number, so not a date
    if match.group("wd_m"):
        try:
            counted_from = datetime.date(year, int(match.group("wd_m")), int(match.group("wd_d")))
        except ValueError:
            raise TimePhraseError(f"“{match.group(0)}”不是{year}年的有效日期") from None
    if counted_from is None or count < 1:
        return None
    return working_days_after(counted_from, count)


def default_deadline(year: int) -> datetime.date:
    """The deadline of an item whose text has no time phrase: 31 December of the plan year."""
    return datetime.date(year, 12, 31)
