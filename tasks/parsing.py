"""Reading a published work key points document (工作要点) into a plan.

Rule source: DESIGN.md, "Reading a published document". This module only reads:
it takes bytes and the department catalogue and returns plain data classes; it
never touches the database. :mod:`tasks.services` writes what it returns.
"""

import codecs
import contextlib
import datetime
import re
from dataclasses import dataclass, field

from departments.models import Department

from .models import Assignment
from .numerals import chinese_to_int
from .timephrases import TimePhraseError, default_deadline, find_time_phrases

Role = Assignment.Role


class WorkplanParseError(ValueError):
    """The document cannot be read as a plan. ``line`` is 1-based, or None for the whole file."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"第{self.line}行：{self.message}" if self.line else self.message


@dataclass
class ParsedDepartment:
    name: str  # the catalogue's full name, or the name as written when it is not in the catalogue
    role: str  # an Assignment.Role value


@dataclass
class ParsedMilestone:
    description: str
    due: datetime.date
    phrase: str


@dataclass
class ParsedTask:
    number: int
    title: str
    body: str
    deadline: datetime.date
    deadline_phrase: str | None
    departments: list[ParsedDepartment]
    milestones: list[ParsedMilestone]
    line: int

    @property
    def lead_department(self) -> str | None:
        return next((d.name for d in self.departments if d.role == Role.LEAD), None)


@dataclass
class ParsedSection:
    ordinal: int
    title: str
    line: int
    tasks: list[ParsedTask] = field(default_factory=list)


@dataclass
class ParsedWorkplan:
    year: int
    title: str
    published_on: datetime.date | None
    sections: list[ParsedSection]

    @property
    def tasks(self) -> list[ParsedTask]:
        return [task for section in self.sections for task in section.tasks]

    def warnings(self) -> list[str]:
        """Things worth a look that do not stop an import: gaps in the item numbering."""
        found = []
        for section in self.sections:
            numbers = {task.number for task in section.tasks}
            missing = sorted(set(range(min(numbers), max(numbers) + 1)) - numbers) if numbers else []
            if missing:
                found.append(f"“{section.title}”中缺少事项 {'、'.join(map(str, missing))}")
        return found

    def as_json(self) -> dict:
        """The plan as JSON-ready dicts; dates as ISO strings (YYYY-MM-DD), no times."""
        return {
            "year": self.year,
            "title": self.title,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "sections": [
                {
                    "ordinal": section.ordinal,
                    "title": section.title,
                    "tasks": [
                        {
                            "number": task.number,
                            "title": task.title,
                            "body": task.body,
                            "deadline": task.deadline.isoformat(),
                            "deadline_phrase": task.deadline_phrase,
                            "lead_department": task.lead_department,
                            "departments": [{"name": d.name, "role": d.role} for d in task.departments],
                            "milestones": [
                                {"description": m.description, "due": m.due.isoformat(), "phrase": m.phrase}
                                for m in task.milestones
                            ],
                        }
                        for task in section.tasks
                    ],
                }
                for section in self.sections
            ],
        }


def decode_document(data: bytes) -> str:
    """Decode a document saved as UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030.

    Raises WorkplanParseError naming the line of the first byte that is not UTF-8
    when the bytes are neither.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise WorkplanParseError("文件以 UTF-16 标记开头，但内容无法按 UTF-16 读取") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise WorkplanParseError("无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030", line) from None


# Numbering styles, outermost first. A document uses two of them: the outer one
# for sections, the next one for items; deeper ones are part of an item's text.
_CN = "一二三四五六七八九十"
_STYLES = [
    ("cn", re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．]\s*(.*)$")),  # 一、
    ("cn_paren", re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*(.*)$")),  # （一）
    ("arabic", re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(.*)$")),  # 4.  1、  ４．
    ("arabic_paren", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$")),  # (1)  （1）
]

_TITLE_WORDS = re.compile(r"工作要点|工作计划|工作安排|工作任务|任务清单|要点")
_YEAR = re.compile(r"(\d{4})\s*年")
_DATE = re.compile(r"(\d{4})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})")
# Page furniture of a government web page: once one of these follows the items,
# the document has ended.
_FURNITURE = re.compile(
    r"^(责任编辑|编辑[:：]|稿源|来源[:：]|发布时间|发布日期|打印本页|【打印|关闭窗口|【关闭|分享到|扫一扫|上一篇|下一篇|相关链接"
    r"|www\.|https?://)"
)
_SENTENCE_END = re.compile(r"[。！？；]")
# The text inside may hold a bracketed 市 of its own: （责任单位：各区县(市)）.
_ANNOTATION = re.compile(r"[（(]\s*((?:牵头|责任|配合)(?:单位|部门)\s*[：:](?:[^（）()]|[（(]市[）)])*)[）)]")
_ANNOTATION_PART = re.compile(r"(牵头|责任|配合)(?:单位|部门)\s*[：:]\s*([^；;]*)")
_ANNOTATION_ROLES = {"牵头": Role.LEAD, "责任": Role.RESPONSIBLE, "配合": Role.SUPPORTING}
_NAME_SEPARATORS = re.compile(r"[、，,\s]+")
# Phrases that name every district at once (DESIGN.md: 区县(市), 各区县(市), 每个区县(市), 市县两级).
_ALL_DISTRICTS = re.compile(r"区、?县[(（]市[)）]|市、?县两级")


def _number_of(style: str, numeral: str) -> int:
    return chinese_to_int(numeral) if style.startswith("cn") else int(numeral)


def _classify(text: str) -> tuple[str, int, str] | None:
    """(style, number, rest) for a numbered paragraph, else None."""
    for style, pattern in _STYLES:
        match = pattern.match(text)
        if match:
            try:
                number = _number_of(style, match.group(1))
            except ValueError:
                return None
            return style, number, match.group(2).strip()
    return None


def _find_title(lines: list[str]) -> int | None:
    """Index of the document's title line: the first short line that reads like one.

    A line that also names a year (2021年…工作要点) wins over one that does not,
    so a navigation bar that mentions 工作要点 is not taken for the title.
    """
    candidates = [
        index
        for index, text in enumerate(lines)
        if text and len(text) <= 60 and _TITLE_WORDS.search(text) and not _classify(text)
    ]
    with_year = [index for index in candidates if _YEAR.search(lines[index])]
    return (with_year or candidates or [None])[0]


def _split_title(text: str) -> tuple[str, str]:
    """An item's title is its first sentence, up to 。 (not included); the rest is its body."""
    first_line, _, more = text.partition("\n")
    title, stop, rest = first_line.partition("。")
    body = (rest.strip() + ("\n" + more if more else "")).strip() if stop else more.strip()
    title = _ANNOTATION.sub("", title).strip()
    return title, body


def _milestones(text: str, year: int, line: int) -> list[ParsedMilestone]:
    """The milestones of one item: one per time phrase, sentence by sentence.

    A deadline inside a period named in the same sentence refines that period
    (下半年组织演习，在10月底前全部完成 is one milestone, due 10-31). Where one
    sentence keeps several phrases, each milestone is described by its own clause.
    """
    milestones = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip(" \n，,")
        try:
            phrases = find_time_phrases(sentence, year)
        except TimePhraseError as exc:
            raise WorkplanParseError(str(exc), line) from None
        kept = [p for p in phrases if not any(other.refines(p) for other in phrases)]
        for phrase in kept:
            description = sentence if len(kept) == 1 else _clause_at(sentence, phrase.start)
            if any(m.description == description for m in milestones):  # 一季度和三季度各一次: one clause, two dates
                description = f"{description}（{phrase.phrase}）"
            milestones.append(ParsedMilestone(description=description, due=phrase.due, phrase=phrase.phrase))
    return milestones


def _clause_at(sentence: str, offset: int) -> str:
    start = max(sentence.rfind(mark, 0, offset) for mark in "，,") + 1
    ends = [i for i in (sentence.find(mark, offset) for mark in "，,") if i != -1]
    return sentence[start : min(ends, default=len(sentence))].strip()


class _Catalogue:
    """Recognises departments named in text, from the department catalogue."""

    def __init__(self, departments: list[Department]):
        self.departments = departments
        self.office = next((d for d in departments if d.is_municipal_office), None)
        self.districts = [d for d in departments if d.level == Department.Level.DISTRICT]
        self.local = [d for d in departments if d.level != Department.Level.MUNICIPAL]

    def named(self, name: str) -> list[Department] | str:
        """The departments a name in an annotation stands for, or the name itself if unknown."""
        if _ALL_DISTRICTS.search(name):
            return self.districts
        for department in self.departments:
            if name in (department.name, department.short_name) or (
                department.short_name
                and name.startswith(department.short_name)
                and len(name) <= len(department.name) + 2
            ):
                return [department]
        return name

    def mentioned(self, text: str) -> list[Department]:
        """Districts and zones the text names, by name or short name; all districts for a collective phrase."""
        found = set(self.districts) if _ALL_DISTRICTS.search(text) else set()
        for department in self.local:
            if department.name in text or (department.short_name and department.short_name in text):
                found.add(department)
        return [d for d in self.local if d in found]


def _departments(text: str, catalogue: _Catalogue) -> list[ParsedDepartment]:
    """Lead, responsible and supporting departments of one item.

    An annotation （牵头单位：…；责任单位：…；配合单位：…） overrides the guesses;
    without one the municipal office leads and every district named is responsible.
    """
    annotated: list[ParsedDepartment] = []
    for annotation in _ANNOTATION.findall(text):
        for role_word, names in _ANNOTATION_PART.findall(annotation):
            role = _ANNOTATION_ROLES[role_word]
            for name in filter(None, _NAME_SEPARATORS.split(names)):
                found = catalogue.named(name)
                for department_name in [found] if isinstance(found, str) else [d.name for d in found]:
                    annotated.append(ParsedDepartment(department_name, role))
    if annotated:
        result: list[ParsedDepartment] = []
        if not any(d.role == Role.LEAD for d in annotated) and catalogue.office:
            result.append(ParsedDepartment(catalogue.office.name, Role.LEAD))
        seen = {d.name for d in result}
        for department in annotated:  # first mention wins; a second lead becomes responsible
            if department.name in seen:
                continue
            if department.role == Role.LEAD and any(d.role == Role.LEAD for d in result):
                department = ParsedDepartment(department.name, Role.RESPONSIBLE)
            result.append(department)
            seen.add(department.name)
        return result
    result = [ParsedDepartment(catalogue.office.name, Role.LEAD)] if catalogue.office else []
    result += [ParsedDepartment(d.name, Role.RESPONSIBLE) for d in catalogue.mentioned(text) if d != catalogue.office]
    return result


def parse_workplan(text: str, *, departments: list[Department], year: int | None = None) -> ParsedWorkplan:
    """Read a 工作要点 document (already decoded) into sections, items, milestones and assignments.

    ``departments`` is the catalogue to recognise names from (see
    departments.selectors.department_catalogue); ``year`` overrides the year in
    the title. Page furniture before the title and after the last item is
    skipped. Dates are calendar dates in the plan year.

    Raises WorkplanParseError (with the line) for a NUL character, when there is no title and no year,
    no numbered item, an item before the first section, a repeated section or
    item number, or an impossible date.
    """
    lines = [line.strip() for line in text.splitlines()]
    for number, line in enumerate(lines, 1):
        if "\x00" in line:  # no database column takes it (PostgreSQL refuses NUL in text)
            raise WorkplanParseError("含有空字符（NUL），文件可能已损坏或不是文本文件", number)
    title_index = _find_title(lines)
    if title_index is None:
        raise WorkplanParseError("找不到文件标题（如“2021年……工作要点”）", 1)
    title = re.sub(r"\s+", "", lines[title_index])
    title_line = title_index + 1

    body = [(number, text) for number, text in enumerate(lines, 1) if number > title_line]
    numbered = [(number, _classify(text)) for number, text in body]
    styles_present = {found[0] for _, found in numbered if found}
    order = [style for style, _ in _STYLES if style in styles_present]
    if not order:
        raise WorkplanParseError("没有识别出任何编号事项（段首应为“1.”“1、”“（一）”等）", title_line)
    section_style, item_style = (order[0], order[1]) if len(order) > 1 else (None, order[0])

    if year is None:
        match = _YEAR.search(title)
        if not match:
            raise WorkplanParseError("标题中没有年度，请用 --year 指定", title_line)
        year = int(match.group(1))

    published_on = None
    sections: list[ParsedSection] = []
    if section_style is None:
        sections.append(ParsedSection(ordinal=1, title=title, line=title_line))
    item_lines: list[tuple[int, int, list[str]]] = []  # (line, number, paragraphs) per item, in order
    owners: list[ParsedSection] = []
    for (number, text), (_, found) in zip(body, numbered, strict=True):
        style = found[0] if found else None
        if style is not None and style == section_style:
            ordinal, heading = found[1], found[2]
            if any(s.ordinal == ordinal for s in sections):
                raise WorkplanParseError(f"部分序号“{text[:4]}”重复", number)
            sections.append(ParsedSection(ordinal=ordinal, title=heading.rstrip("。"), line=number))
        elif style is not None and style == item_style:
            if not sections:
                raise WorkplanParseError("编号事项出现在第一个部分标题之前", number)
            item_lines.append((number, found[1], [found[2]]))
            owners.append(sections[-1])
        elif not text:
            continue
        elif _FURNITURE.search(text) and item_lines:
            break  # the page's footer: the document has ended
        elif item_lines and (section_style is None or owners[-1] is sections[-1]):
            item_lines[-1][2].append(text)  # a further paragraph of the same item
        elif published_on is None and not item_lines and (date := _DATE.search(text)):
            with contextlib.suppress(ValueError):  # not a date after all; the published date is optional
                published_on = datetime.date(*map(int, date.groups()))

    catalogue = _Catalogue(departments)
    restarts = any(
        owner is not owners[0] and number == 1 for (_, number, _), owner in zip(item_lines, owners, strict=True)
    )
    seen: dict[tuple, int] = {}
    for (line, number, paragraphs), section in zip(item_lines, owners, strict=True):
        key = (section.ordinal, number) if restarts else (number,)
        if key in seen:
            raise WorkplanParseError(f"事项序号 {number} 重复（第{seen[key]}行已有）", line)
        seen[key] = line
        full_text = "\n".join(paragraphs)
        task_title, task_body = _split_title(full_text)
        if not task_title:
            raise WorkplanParseError(f"事项 {number} 没有内容", line)
        milestones = _milestones(full_text, year, line)
        last = max(milestones, key=lambda m: m.due, default=None)
        section.tasks.append(
            ParsedTask(
                number=number,
                title=task_title,
                body=task_body,
                deadline=last.due if last else default_deadline(year),
                deadline_phrase=last.phrase if last else None,
                departments=_departments(full_text, catalogue),
                milestones=milestones,
                line=line,
            )
        )
    return ParsedWorkplan(year=year, title=title, published_on=published_on, sections=sections)
