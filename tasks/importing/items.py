"""One work item from its text: title, body, milestones, deadline, cadence and departments.

Rule source: DESIGN.md, "Reading a published document" (Time phrases,
Departments). Both the outline reader and the table reader build their items
here, so an item reads the same whichever shape the document came in.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from ..timephrases import TimePhraseError, default_deadline, find_cadence, find_time_phrases
from .catalogue import UNIT_END, Catalogue, split_names, split_outside_brackets
from .chars import fold
from .draft import LEAD, RESPONSIBLE, SUPPORTING, DocumentError, DraftDepartment, DraftItem, DraftMilestone

_ROLE_WORDS = {
    "牵头": LEAD, "主办": LEAD, "主责": RESPONSIBLE, "责任": RESPONSIBLE, "承办": RESPONSIBLE,
    "实施": RESPONSIBLE, "落实": RESPONSIBLE,
    "配合": SUPPORTING, "协办": SUPPORTING, "参与": SUPPORTING, "协助": SUPPORTING, "协同": SUPPORTING,
    "协作": SUPPORTING,
}  # fmt: skip
# The role words of an annotation, and the word after them: 牵头单位, 配合部门, 责任主体, 牵头责任单位,
# and in a bureau's own plan 牵头处室 / 责任科室 / 牵头处（室）.
# 实施 and 落实 name a role only as a label (实施单位：, 落实主体：): a bare 落实：加强督查 is a sentence.
_ROLE_WORD = (
    r"(?:牵头|主办|主责|责任|承办|配合|协办|参与|协助|协同|协作"
    r"|(?:实施|落实)(?=(?:责任)?(?:单位|部门|主体|处|科)))"
)
_LABEL_WORD = r"(?:责任)?(?:单位|部门|处室|科室|主体|[处科][（(]室[）)])?"
_ROLE = rf"(?P<role>{_ROLE_WORD}){_LABEL_WORD}\s*[：:]"
# 牵头单位：, 配合处室：: the Word reader starts a line at one after a manual line break.
ROLE_LABEL = re.compile(rf"{_ROLE_WORD}{_LABEL_WORD}\s*[：:]")
_NESTED = (
    r"(?:[^（）()\[\]【】]|[（(][^（）()]*[）)])"  # one level of brackets inside a name: 临空经济区(空港新城)事务中心
)
# The leader a district's breakdown names before or after the units (责任领导：王刚, 牵头区领导：张华,
# 市领导：…): a person, not a unit.
_LEADER_LABEL = r"(?:牵头|责任|分管|联系|挂钩)?(?:市|区|县)?级?领导"
_LEADER_FIRST = rf"(?:{_LEADER_LABEL}\s*[：:][^；;）)\]】]*?[；;，,\s]*)?"
# （牵头单位：…；责任单位：…）, the same in [] or 【】, also after a leader (（责任领导：王刚；牵头单位：…）).
_LABELLED = re.compile(rf"[（(\[【]\s*({_LEADER_FIRST}{_ROLE_WORD}{_LABEL_WORD}\s*[：:]{_NESTED}*)[）)\]】]")
# Any other label (联系部门：) ends the names before it.
_OTHER_LABEL = r"[^\s：:；;，,、（）()]{0,6}(?:单位|部门|处室|科室|主体)"
# （责任单位：市委宣传部，完成时限：2024年12月底前）: a time label or a leader ends the names too.
_TIME_LABEL = r"(?:完成时限|完成时间|完成期限|时间节点|时限要求|时限)"
_ENDING_LABEL = rf"{_TIME_LABEL}|{_LEADER_LABEL}|{_OTHER_LABEL}"
_LABELLED_PART = re.compile(
    _ROLE + rf"\s*(?P<names>.*?)(?=[；;，,]?\s*(?:{_ROLE_WORD}{_LABEL_WORD}|{_ENDING_LABEL})\s*[：:]|$)"
)
# 牵头单位：区发改局 on a line of its own, or closing the item's paragraph after its last
# sentence (……建成通车。牵头单位：市交通运输局；责任单位：柯桥区政府。).
# A leader may come first (……。牵头领导：张三；牵头部门：种植业管理处；协办部门：计划财务处).
_OWN_LINE = re.compile(
    rf"(?:^|(?<=[。！？]))\s*({_LEADER_FIRST}{_ROLE_WORD}{_LABEL_WORD}\s*[：:][^\n]+?)[。.]?[ \t]*$", re.MULTILINE
)
# 【责任单位】特种设备安全监察处: the label in brackets instead of before a colon.
_BRACKETED_LABEL = re.compile(rf"【({_ROLE_WORD}{_LABEL_WORD})】")
# （市交通委负责落实）, （市政府办公室牵头，各县市区政府按职责分工负责）.
_FREE = re.compile(rf"[（(]({_NESTED}{{2,150}}?(?:牵头|负责落实|负责|配合|协助|参与))[）)]")
# 由市农业农村局牵头，各区（县、市）配合。: the same as a sentence of its own, without brackets.
_FREE_SENTENCE = re.compile(
    rf"(?:^|(?<=[。！？；;\n]))\s*由({_NESTED}{{2,150}}?(?:牵头|负责落实|负责|配合|协助|参与))(?=[。；;]|$)",
    re.MULTILINE,
)
_FREE_PART = re.compile(r"^(?P<names>.+?)(?P<verb>牵头|按职责分工负责|分工负责|负责落实|负责|配合|协助|参与)$")
_SENTENCE_END = re.compile(r"[。！？；\n]")  # a paragraph ends its sentence too
# 责任单位：市人防办（牵头）、市财政局 / 责任单位：市民政局，市人防办配合: a role word after one name.
_SUPPORTING_WORDS = "|".join(word for word, role in _ROLE_WORDS.items() if role == SUPPORTING)  # 配合|协办|…
_ROLE_MARK = re.compile(rf"\s*(?:[（(](牵头|{_SUPPORTING_WORDS})[）)]|(?<=[^（(])(牵头|{_SUPPORTING_WORDS}))$")
_INNER_ROLE = re.compile(rf"^(?P<name>.+?)[（(](?P<other>[^（）()]+?)(?:{_SUPPORTING_WORDS})[）)]$")
# A label naming units that no rule above reads (（督办单位：市委督查室）, 联系部门：…): said to the office.
_UNIT_LABEL = re.compile(
    r"(?:^|[（(\[【。；;])\s*([^\s：:（）()【】\[\]。；;，,]{0,6}(?:单位|部门|处室|科室|主体))\s*[：:]", re.M
)
# Time words that name no date: the office is asked to set one.
_VAGUE = re.compile(
    r"尽快|适时|近期|择机|按时|春节前|元旦前|两会前|开学前|(?:主|入)?汛期?前|(?<![\d０-９一二三四五六七八九十])(?:月底前|季度末)"
)


@dataclass
class ItemContext:
    """What every item of one plan shares: the plan year, when it was written, and the catalogue."""

    year: int
    catalogue: Catalogue
    written: object = None  # datetime.date | None: the published date, for 明年


def build_item(
    *,
    number: int,
    label: str,
    text: str,
    line: int,
    context: ItemContext,
    subsection: str = "",
    columns: list[tuple[str, str]] = (),
    deadline_text: str = "",
    heading: str = "",
    units_from: tuple[str, ...] = (),
) -> DraftItem:
    """A DraftItem from an item's full text (its paragraphs joined by newlines).

    ``columns`` are (role, names as written) from a table's unit columns,
    ``deadline_text`` its 完成时限 cell and ``heading`` its 工作任务 cell (the
    whole cell is the title; ``text`` then starts with it); all add to what the
    text says. ``units_from`` are the headings above the item, nearest first:
    an item that names no unit has those of the first heading that does
    (（一）完善指挥体系（牵头单位：县人防办） over 1. 2.). Raises DocumentError
    (with ``line``) for an empty item or an impossible date.
    """
    if heading:
        title, body = without_annotations(heading)[:500], text[len(heading) :].lstrip("。\n")
    else:
        title, body = split_title(text)
    if not title:
        raise DocumentError(gettext("事项 %(label)s 没有内容") % {"label": label}, line)
    milestones = milestones_of(text, context, line)
    stated = milestones_of(deadline_text, context, line, description=title) if deadline_text else []
    # A 完成时限 cell repeating the phrase the text names (6月份实现… | 6月份) adds no second milestone.
    milestones += [m for m in stated if all((m.due, m.phrase) != (o.due, o.phrase) for o in milestones)]
    # A 完成时限 cell is the deadline (上半年完成、下半年见效 | 2024-06-30 is due in June).
    last = max(stated or milestones, key=lambda m: m.due, default=None)
    vague = _VAGUE.findall(fold(text + deadline_text))
    if deadline_text.strip() and not stated and not vague and not find_cadence(fold(deadline_text)):
        vague.append(deadline_text.strip())  # a 完成时限 cell that names no date the rule reads (Q3, 待定)
    unplaced: list[str] = []
    departments = departments_of(text, context.catalogue, columns, unplaced=unplaced, inherited=units_from)
    unread = [label for label in _UNIT_LABEL.findall(_folded(text)) if not ROLE_LABEL.fullmatch(label + "：")]
    return DraftItem(
        number=number,
        label=label,
        title=title,
        body=_without_labelled_units(body),
        deadline=last.due if last else default_deadline(context.year),
        deadline_phrase=last.phrase if last else None,
        departments=departments,
        milestones=milestones,
        line=line,
        cadence=find_cadence(fold(text + deadline_text)),
        subsection=subsection,
        notes=_notes(vague, unplaced, milestones, context.year)
        + [
            gettext("“%(label)s”不是可识别的单位标注（牵头/责任/配合单位等），其后的单位未读取，请核对")
            % {"label": label}
            for label in dict.fromkeys(unread)
        ],
    )


def _notes(vague: list[str], unplaced: list[str], milestones: list[DraftMilestone], year: int) -> list[str]:
    """What the office should check on an item: undated time words, unplaced collectives, dates before its year."""
    undated = (
        gettext("时间表述“%(word)s”未能换算为日期，未设节点")
        if milestones
        else gettext("时间表述“%(word)s”未能换算为日期，暂按年底")
    )
    notes = [undated % {"word": word} for word in dict.fromkeys(vague)]
    notes += [
        gettext("“%(name)s”是统称，单位名录中没有它指的单位，未分配；请指定单位，或在后台“单位统称”中设置")
        % {"name": name}
        for name in dict.fromkeys(unplaced)
    ]
    notes += [
        gettext("时间“%(phrase)s”（%(due)s）早于计划年度%(year)s年，请核对")
        % {"phrase": m.phrase, "due": m.due.isoformat(), "year": year}
        for m in milestones
        if m.due.year < year
    ]
    return notes


def split_title(text: str) -> tuple[str, str]:
    """An item's title is its first sentence, up to 。 (not included), without unit annotations; the rest is its body.

    A short heading ended by a colon (强化组织领导：…) is the title on its own. A
    first line with no 。 is the whole title (a heading with its text below),
    except that a line wrapped inside a sentence has already been joined by the reader.
    """
    first_line, _, more = text.partition("\n")
    colon = _heading_colon(first_line)
    if colon != -1:  # 1.强化组织领导：成立工作专班，…。 — a short heading before a colon
        title, stop, rest = first_line[:colon], "：", first_line[colon + 1 :]
    else:
        title, stop, rest = first_line.partition("。")
    body = (rest.strip() + ("\n" + more if more else "")).strip() if stop else more.strip()
    title = without_annotations(title)
    if len(title) > 500:
        title, body = title[:500], text
    return title, body


def _heading_colon(line: str) -> int:
    """Where a short heading ends at a colon outside brackets before the first 。, else -1."""
    depth = 0
    for index, char in enumerate(line[:31]):
        if char in "（([【":
            depth += 1
        elif char in "）)]】":
            depth = max(depth - 1, 0)
        elif char == "。":
            return -1
        elif char in "：:" and depth == 0:
            return index if index >= 2 and len(line) > index + 10 else -1
    return -1


def without_annotations(title: str) -> str:
    """``title`` without its unit annotations (（牵头单位：…）, （市交通委负责落实）) and the stops around them."""
    return _FREE.sub("", _LABELLED.sub("", title)).strip(" ：:，,；;。")


def _folded(text: str) -> str:
    """``text`` folded (see :func:`~tasks.importing.chars.fold`), with 【责任单位】 read as 责任单位： (same length)."""
    return _BRACKETED_LABEL.sub(lambda match: f" {match.group(1)}：", fold(text))


def _without_labelled_units(body: str) -> str:
    """``body`` (具体内容) without the labelled unit annotations it carried (（牵头单位：…）, 责任单位：… closing it).

    The units are read into the item's departments; left in the text they showed
    twice on the task page and in the quarterly table. Free forms (（市交通委负责））
    stay: they read as part of the sentence, and an aside in brackets may look alike.
    """
    folded = _folded(body)
    spans = sorted(m.span() for pattern in (_LABELLED, _OWN_LINE) for m in pattern.finditer(folded))
    if not spans:
        return body
    kept, end = [], 0
    for start, stop in spans:
        if start >= end:
            kept.append(body[end:start])
            end = stop
    kept.append(body[end:])
    lines = (line.strip() for line in "".join(kept).split("\n"))
    return "\n".join(line for line in lines if line)


def milestones_of(text: str, context: ItemContext, line: int, description: str = "") -> list[DraftMilestone]:
    """The milestones of one item: one per time phrase, sentence by sentence.

    A deadline inside a period named in the same sentence refines that period
    (下半年组织演习，在10月底前全部完成 is one milestone, due 10-31). Where one
    sentence keeps several phrases, each milestone is described by its own
    clause. ``description`` replaces the sentence (a table's 完成时限 cell).
    """
    milestones: list[DraftMilestone] = []
    folded = fold(text)
    for sentence_start, sentence in _sentences(folded):
        try:
            phrases = find_time_phrases(sentence, context.year, written=context.written)
        except TimePhraseError as exc:
            raise DocumentError(str(exc), line) from None
        kept = [p for p in phrases if not any(other.refines(p) for other in phrases)]
        original = text[sentence_start : sentence_start + len(sentence)]
        for phrase in kept:
            said = description or _without_unit_label(
                original if len(kept) == 1 else _clause_at(original, phrase.start)
            )
            written_phrase = text[sentence_start + phrase.start : sentence_start + phrase.start + len(phrase.phrase)]
            if any(m.description == said for m in milestones):  # 一季度和三季度各一次: one clause, two dates
                said = f"{said}（{written_phrase}）"
            milestones.append(DraftMilestone(description=said[:500], due=phrase.due, phrase=written_phrase))
    return milestones


def _without_unit_label(said: str) -> str:
    """A milestone's clause without the unit annotation it ends with, whole or cut at its ；."""
    cut = re.sub(
        rf"\s*[（(\[【]\s*{_LEADER_FIRST}{_ROLE_WORD}{_LABEL_WORD}\s*[：:][^）)\]】]*[）)\]】]?$", "", said
    ).strip()
    return cut or said


def _sentences(text: str):
    """(offset, sentence) pairs, stripped of spaces, newlines and leading commas."""
    start = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        stripped = chunk.strip(" \n，,")
        if stripped:
            yield start + chunk.index(stripped), stripped
        start = end + 1


def _clause_at(sentence: str, offset: int) -> str:
    start = max(sentence.rfind(mark, 0, offset) for mark in "，,") + 1
    ends = [i for i in (sentence.find(mark, offset) for mark in "，,") if i != -1]
    return sentence[start : min(ends, default=len(sentence))].strip()


def departments_of(
    text: str, catalogue: Catalogue, columns=(), *, unplaced: list[str] | None = None, inherited: tuple[str, ...] = ()
) -> list[DraftDepartment]:
    """Lead, responsible and supporting departments of one item.

    Annotations in every common form (bracketed with a role label, a role
    label on its own line, free forms such as （市交通委负责落实）) and table
    columns override the guess; without any, the municipal office leads and
    every district the text names is responsible. A role word after one name
    in a list (市人防办（牵头）, 市人防办配合) gives that name its role. With no
    lead named, the office leads (promoted if it is named in another role). A
    second lead stays a lead here (DraftItem.uncertain marks it); the first
    mention of a name wins. Collectives standing for no listed unit (各有关单位)
    are appended to ``unplaced`` as written. Without an annotation of its own,
    the first of the ``inherited`` headings that has one gives the item's.
    """
    annotated = [*_labelled_cells(columns), *_annotations(_folded(text), text)]
    for heading in inherited if not annotated else ():
        annotated = _annotations(_folded(heading), heading)
        if annotated:
            break
    found: list[DraftDepartment] = []
    for role, names in annotated:
        for name, marked in _listed_roles(names, role):
            named = catalogue.named(name)
            if not named and catalogue.is_unplaced(name) and unplaced is not None:
                unplaced.append(name.strip())
            for full_name, known in named:
                if all(d.name != full_name for d in found):
                    found.append(DraftDepartment(full_name, marked, known))
    office = catalogue.office
    if found or unplaced:
        return _with_lead(found, office)
    result = [DraftDepartment(office.name, LEAD)] if office else []
    return result + [DraftDepartment(d.name, RESPONSIBLE) for d in catalogue.mentioned(text) if d != office]


def _labelled_cells(columns) -> list[tuple[str, str]]:
    """(role, names) of a table's unit columns, a cell that labels its own names read by its labels.

    A 责任单位 cell holding 牵头：市应急局↵配合：市公安局 names a lead and a
    supporting unit, not units called “牵头：市应急局”.
    """
    read = []
    for role, names in columns:
        labelled = ROLE_LABEL.search(_folded(names)) and _annotations(_folded(names), names)
        read += labelled or [(role, names)]
    return read


def _listed_roles(names: str, role: str) -> list[tuple[str, str]]:
    """(name, role) for every name of one annotation's list, with the role words written on them.

    A role word closing a group of names, where groups are set apart by ，or ；,
    is the whole group's: in 市应急局（牵头），市公安局、市交通局（配合） both
    市公安局 and 市交通局 support. In one group (市人防办（牵头）、市财政局) it is
    only its own name's (see :func:`_roles_marked`).
    """
    groups = [group for group in split_outside_brackets(names, "，,；;") if group.strip()]
    listed = []
    for group in groups:
        names_in_group = [_roles_marked(written, role) for written in split_names(group)]
        marks = [bool(_ROLE_MARK.search(fold(written))) for written in split_names(group)]
        if len(groups) > 1 and len(marks) > 1 and marks[-1] and not any(marks[:-1]):
            group_role = names_in_group[-1][0][1]
            listed += [(name, group_role) for pairs in names_in_group for name, _ in pairs]
        else:
            listed += [pair for pairs in names_in_group for pair in pairs]
    return listed


def _roles_marked(written: str, role: str) -> list[tuple[str, str]]:
    """(name, role) for one listed name with the role words written on it.

    市人防办（牵头） leads, 市人防办配合 supports; 市政府办公厅（市人防办协助) is two
    units, the one in brackets supporting; otherwise the name has ``role``.
    """
    inner = _INNER_ROLE.match(fold(written))
    if inner:
        return [(written[: inner.end("name")], role), (written[inner.start("other") : inner.end("other")], SUPPORTING)]
    mark = _ROLE_MARK.search(fold(written))
    if mark:
        return [(written[: mark.start()], LEAD if (mark.group(1) or mark.group(2)) == "牵头" else SUPPORTING)]
    return [(written, role)]


def _with_lead(found: list[DraftDepartment], office) -> list[DraftDepartment]:
    """``found`` with a lead when the annotations name none.

    The office leads: named as responsible (责任单位：市人防办), or added in front
    when not named. Named only as supporting, the first responsible unit leads.
    """
    if any(d.role == LEAD for d in found) or office is None:
        return found
    mine = next((d for d in found if d.name == office.name), None)
    if mine is None:
        return [DraftDepartment(office.name, LEAD), *found]
    first = mine if mine.role == RESPONSIBLE else next((d for d in found if d.role == RESPONSIBLE), None)
    if first is not None:
        first.role = LEAD
    return found


def _names_units(names: str) -> bool:
    """True when every name in a free-form annotation looks like a unit (市交通委, 各县市区政府)."""
    listed = split_names(names)
    return (
        bool(listed)
        and len(names) <= 60
        and all(UNIT_END.search(name) and not name.startswith("由") for name in listed)
    )


def _annotations(folded: str, text: str) -> list[tuple[str, str]]:
    """(role, names as written) for each unit annotation in the text, in order."""
    found = []
    for match in [*_LABELLED.finditer(folded), *_OWN_LINE.finditer(folded)]:
        for part in _LABELLED_PART.finditer(match.group(1)):
            start = match.start(1) + part.start("names")
            found.append((_ROLE_WORDS[part.group("role")], text[start : start + len(part.group("names"))]))
    if found:
        return found
    for match in [*_FREE.finditer(folded), *_FREE_SENTENCE.finditer(folded)]:
        parsed = _free_parts(match.group(1))
        if not parsed or not all(_names_units(names) for names, _ in parsed):
            continue  # （由各地负责）: an aside, not a unit annotation
        has_lead = any(verb == "牵头" for _, verb in parsed)
        for names, verb in parsed:
            role = (
                SUPPORTING
                if verb in ("配合", "协助", "参与")
                else LEAD
                if verb == "牵头" or not has_lead
                else RESPONSIBLE
            )
            offset = match.start(1) + match.group(1).index(names)
            found.append((role, text[offset : offset + len(names)]))
    return found


def _free_parts(annotation: str) -> list[tuple[str, str]]:
    """(names, verb) for each part of a free-form annotation (市医保局牵头，市卫健委配合); [] when one is no such part.

    A part naming units without a verb has the verb of the part after it
    (各县（市、区）政府，合肥高新区管委会配合: both support).
    """
    parts = [p.strip() for p in split_outside_brackets(annotation, "，,；;")]
    parsed: list[tuple[str, str | None]] = []
    for part in parts:
        found = _FREE_PART.match(part)
        parsed.append((found.group("names"), found.group("verb")) if found else (part, None))
    verb = None
    for index in reversed(range(len(parsed))):
        verb = parsed[index][1] or verb
        if verb is None:
            return []
        parsed[index] = (parsed[index][0], verb)
    return parsed
