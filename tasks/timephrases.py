"""The time-phrase rule: which words in a work item name a date, and which date.

Rule source: DESIGN.md, "Reading a published document". Every date the tracker
reads from a document comes from :func:`find_time_phrases`, and every cadence
(每季度, 持续推进) from :func:`find_cadence`; nothing else interprets time words.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from .numerals import chinese_to_int
from .workdays import working_days_after

_N = r"(?:\d{1,2}|[０-９]{1,2}|[一二三四五六七八九十]{1,3})"  # a month or day number, Arabic or Chinese
_YEAR = r"(?:(?P<{0}>\d{{4}})年|(?P<{0}_rel>明年|次年|今年)(?:的)?)?"
# One alternation so that matches never overlap; longer phrases first.
_PATTERN = re.compile(
    # 10个工作日内, 3月16日起10个工作日内 (counted on the official working-day calendar)
    r"(?P<workdays>(?:(?P<wd_m>\d{1,2})月(?P<wd_d>\d{1,2})日(?:起|后|之后)?)?"
    r"(?P<wd_n>\d{1,3}|[一二三四五六七八九十]{1,3})个工作日内)|"
    # 9月第三个星期六 (全民国防教育日), 每年5月的第二个周日
    r"(?P<nth_day>(?P<nm>"
    + _N
    + r")月(?:的)?第(?P<nth>[一二三四五1-5])个?(?:星期|周|礼拜)(?P<wd>[一二三四五六日天1-7]))|"
    # 3-6月, 3月至6月, 2024年6月底前, 6月30日, 2月上旬前, 7月份, 10月前
    + _YEAR.format("y")
    + rf"(?:(?P<from_m>{_N})月?\s*[-—–~～至到]\s*)?(?P<m>{_N})月(?:份)?"
    rf"(?:(?P<d>{_N})[日号]|(?P<xun>上旬|中旬|下旬)|(?P<end>底|末))?(?P<before>之?前|以前)?"
    # 一季度, 第二季度末前
    r"|(?P<quarter>" + _YEAR.format("qy") + r"第?(?P<q>[一二三四1-4１-４])季度(?:末|底)?(?:之?前)?)"
    # 上半年, 2024年上半年
    r"|(?P<half>" + _YEAR.format("hy") + r"(?P<which>上半年|下半年))"
    # 年中, 2025年底前 and 2025年年底前, 年内 (not 三年内), 年底, 全年
    r"|(?P<year_end>(?:(?P<ey>\d{4})年?|(?P<ey_rel>明|次|今)年?|(?<![\d一二三四五六七八九十两几多]))年(?P<ye>中|底前|底|末|内)"
    r"|(?<![健完安])全年)"
    # 国庆前, “七一”前: a fixed holiday (春节 moves, and stays for the office to date)
    r"|(?P<holiday>[“\"]?(?P<hol>国庆节?|十一|七一|八一|五一|劳动节|建党节|建军节)[”\"]?(?:节)?(?:之?前|以前))"
)
# The day before each fixed holiday a phrase names: (month, day).
_HOLIDAY_EVE = {
    "国庆": (9, 30), "国庆节": (9, 30), "十一": (9, 30), "七一": (6, 30), "建党节": (6, 30),
    "八一": (7, 31), "建军节": (7, 31), "五一": (4, 30), "劳动节": (4, 30),
}  # fmt: skip
_WEEKDAYS = {day: n % 7 for n, days in enumerate(["一1", "二2", "三3", "四4", "五5", "六6", "日天7"]) for day in days}
_CADENCE = re.compile(
    r"每(?:年|半年|季度?|月|旬|周|两周|双月)|(?:按|逐)(?:季度?|月)|持续(?:推进|开展|抓好|推动)|全年持续|常态化|定期|长效"
    # 长期坚持, a 完成时限 cell of 长期; not 超长期特别国债, 中长期规划, 长期护理保险
    r"|(?<![超中])长期(?=坚持|开展|推进|实施|执行|抓好|$|[，,。；;、\s])"
)


class TimePhraseError(ValueError):
    """A phrase has the form of a date but names none (say 2月30日前)."""


@dataclass(frozen=True)
class TimePhrase:
    """One time phrase found in a text and the date it stands for."""

    phrase: str  # the words as written, e.g. "10月底前"
    due: datetime.date  # the date they stand for
    start: int  # offset of the phrase in the text searched
    opens: datetime.date | None = None  # first day of the period a period phrase (上半年, 三季度) names

    def refines(self, other: "TimePhrase") -> bool:
        """True when this is a deadline inside the period ``other`` names (下半年 … 10月底前).

        A whole year (全年, 年内) is refined by nothing: 全年增长6%，4月底前出台政策
        are two dates, the year's target and the policy's.
        """
        if other.opens is None or (other.opens.month, other.opens.day, other.due.month, other.due.day) == (
            1,
            1,
            12,
            31,
        ):
            return False
        return self.opens is None and other.opens <= self.due <= other.due


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str) -> int:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int(text) if text.isdigit() else chinese_to_int(text)


def _year_of(match: re.Match, group: str, year: int, written: datetime.date | None) -> int:
    """The year a phrase names: explicit (2024年), relative (明年: after the year of writing), or the plan's."""
    if match.group(group):
        return int(match.group(group))
    relative = match.group(f"{group}_rel")
    if relative in ("明年", "次年", "明", "次"):
        return (written.year if written else year) + 1
    if relative in ("今年", "今"):
        return written.year if written else year
    return year


def _dated(match: re.Match, year: int, written: datetime.date | None) -> tuple[datetime.date, datetime.date | None]:
    """(due, opens) for one match of _PATTERN."""
    text = match.group(0)
    if match.group("holiday"):
        return datetime.date(year, *_HOLIDAY_EVE[match.group("hol")]), None
    if match.group("nth_day"):
        return _nth_weekday(match, year), None
    if match.group("m"):
        year = _year_of(match, "y", year, written)
        month = _number(match.group("m"))
        if not 1 <= month <= 12:
            raise TimePhraseError(gettext("“%(phrase)s”中的月份无效") % {"phrase": text})
        if match.group("d"):
            try:
                return datetime.date(year, month, _number(match.group("d"))), None
            except ValueError:
                raise TimePhraseError(
                    gettext("“%(phrase)s”不是%(year)s年的有效日期") % {"phrase": text, "year": year}
                ) from None
        xun = match.group("xun")
        if xun in ("上旬", "中旬"):
            return datetime.date(year, month, 10 if xun == "上旬" else 20), None
        return _month_end(year, month), None
    if match.group("quarter"):
        year = _year_of(match, "qy", year, written)
        quarter = _number(match.group("q"))
        return _month_end(year, quarter * 3), datetime.date(year, quarter * 3 - 2, 1)
    if match.group("half"):
        year = _year_of(match, "hy", year, written)
        if match.group("which") == "上半年":
            return datetime.date(year, 6, 30), datetime.date(year, 1, 1)
        return datetime.date(year, 12, 31), datetime.date(year, 7, 1)
    year = _year_of(match, "ey", year, written)
    if match.group("ye") == "中":
        return datetime.date(year, 6, 30), None
    return datetime.date(year, 12, 31), datetime.date(year, 1, 1)


def _nth_weekday(match: re.Match, year: int) -> datetime.date:
    """9月第三个星期六 → that Saturday of the plan year; TimePhraseError when the month has no such day."""
    month, nth = _number(match.group("nm")), _number(match.group("nth"))
    weekday = _WEEKDAYS[match.group("wd")]
    if not 1 <= month <= 12:
        raise TimePhraseError(gettext("“%(phrase)s”中的月份无效") % {"phrase": match.group(0)})
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    if day.month != month:
        raise TimePhraseError(
            gettext("“%(phrase)s”不是%(year)s年的有效日期") % {"phrase": match.group(0), "year": year}
        )
    return day


def find_time_phrases(text: str, year: int, *, written: datetime.date | None = None) -> list[TimePhrase]:
    """Find the time phrases in ``text`` and the dates they stand for.

    Dates fall in the plan ``year`` unless the phrase names another: 2024年6月底前
    → 2024-06-30; 明年/次年 → the year after ``written`` (the date the document
    was written or published, when known; else after ``year``), so 明年7月份 in
    a plan written in December names the plan's own year.

    上半年, 年中 → 30 June; 下半年, 年内, 年底(前), 年末, 全年 → 31 December, of the year
    written before them (2026年年底前 → 2026-12-31; N年内 is
    not 年内); (第)一季度 … 四季度 → the quarter's last day; N月底(前), N月份,
    N月前, N月 → the last day of month N; N月上旬 → the 10th, 中旬 → the 20th,
    下旬 → month end; N月N日(前) → that day; a range 3-6月 → its end;
    N月第N个星期X → that weekday (9月第三个星期六 → the third Saturday of
    September); before a fixed holiday (国庆前, “七一”前) → the day before it;
    N个工作日内 → the N-th working day (tasks.workdays, the official calendar) after
    the date written before it (3月16日起10个工作日内) or else ``written``; without
    either it names no date and is left out. Month
    and day numbers may be ASCII, full-width or Chinese (六月底前). Returns
    phrases in text order; dates are calendar dates (no time, no zone). A
    period phrase also says when its period opens (``opens``), so that a
    deadline inside it can refine it.

    Raises TimePhraseError when a phrase names an impossible date (13月底前, 2月30日前).
    """
    found = []
    for match in _PATTERN.finditer(text):
        if match.group("workdays"):
            due, opens = _working_days_phrase(match, year, written), None
            if due is None:
                continue
        elif match.group("m") and not _is_month_phrase(match):
            continue
        else:
            due, opens = _dated(match, year, written)
        found.append(TimePhrase(phrase=match.group(0), due=due, start=match.start(), opens=opens))
    return found


def _working_days_phrase(match: re.Match, year: int, written: datetime.date | None) -> datetime.date | None:
    """N个工作日内: N working days after the date written before it, else after ``written``; None without either."""
    try:
        count = _number(match.group("wd_n"))
    except ValueError:
        return None  # 十十个工作日内: not a number, so not a date
    start = written
    if match.group("wd_m"):
        try:
            start = datetime.date(year, int(match.group("wd_m")), int(match.group("wd_d")))
        except ValueError:
            raise TimePhraseError(
                gettext("“%(phrase)s”不是%(year)s年的有效日期") % {"phrase": match.group(0), "year": year}
            ) from None
    if start is None or count < 1:
        return None
    return working_days_after(start, count)


def _is_month_phrase(match: re.Match) -> bool:
    """A bare Chinese 'N月' (一月一次) is only read as a date with a suffix (六月底前, 六月份, 六月十日)."""
    if match.group("m").isdigit() or any(ch.isdigit() for ch in match.group("m")):
        return True
    return bool(
        match.group("d") or match.group("xun") or match.group("end") or match.group("before") or "份" in match.group(0)
    )


def find_cadence(text: str) -> str | None:
    """The first recurring phrase in ``text`` (每季度, 每月, 持续推进, 常态化, 定期), as written; None without one.

    A cadence names how often work recurs, not a date: DESIGN.md keeps it on
    the item beside the deadline (which stays the plan year's end without a date).
    """
    match = _CADENCE.search(text)
    return match.group(0) if match else None


def default_deadline(year: int) -> datetime.date:
    """The deadline of an item whose text has no time phrase: 31 December of the plan year."""
    return datetime.date(year, 12, 31)
