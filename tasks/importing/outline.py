"""Reading a plan written as numbered paragraphs (web page text, Word) into a draft.

Rule source: DESIGN.md, "Reading a published document" → Structure. Parts and
items at up to three levels (一、 / （一） / 1. / 1、 / (1) / 1） / ①), outermost
first as official documents number them; the work item is the level that
carries the concrete work and the levels above it are its section and
sub-section. Preamble parts (总体要求, 指导思想) and closing parts (保障措施) are
recognised and left out, with a note. Page furniture is skipped, and a
signature and date after the last item are the plan's issuer and published date.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext

from ..numerals import chinese_to_int
from . import front
from .catalogue import Catalogue
from .chars import fold
from .draft import DocumentError, Draft, DraftSection
from .items import ItemContext, build_item, without_annotations

_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Numbering styles, outermost first: (style, pattern, how the number is printed).
_STYLES = [
    ("part", re.compile(rf"^第([{_CN}]{{1,3}})(?:部分|章|篇)\s*[、.．:：]?\s*(.*)$"), "第{}部分"),
    ("cn", re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．]\s*(.*)$"), "{}"),
    ("cn_paren", re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*(.*)$"), "（{}）"),
    # 2.6月底前完成 is item 2 (a date after the number); 2.5亿元 is a decimal, not an item
    ("arabic", re.compile(r"^(\d{1,4})\s*(?:、|[.．](?=\D|\d{1,4}\s*[年月]|$))\s*(.*)$"), "{}"),
    ("arabic_paren", re.compile(r"^[（(]\s*(\d{1,4})\s*[）)]\s*(.*)$"), "（{}）"),
    ("arabic_half", re.compile(r"^(\d{1,4})\s*[）)]\s*(.*)$"), "{}）"),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*[、.．]?\s*(.*)$"), "{}"),
]
# Decimal outline numbering (1 强化战备建设 / 1.1 完善指挥体系): 1.1 is item 1 of part 1 (not 2.5亿元),
# and "1 heading" is a part only over items numbered 1.x (a wrapped "6 月底前" is no part).
_DECIMAL = re.compile(r"^(\d{1,2})[.．](\d{1,2})(?![\d.．%％])\s*(?![亿万元个家倍])(.+)$")
_DECIMAL_HEAD = re.compile(r"^(\d{1,2})\s+([^\d\s].*)$")
_ORDER = [style for style, _, _ in _STYLES] + ["decimal_head", "decimal"]
_PATTERNS = {style: pattern for style, pattern, _ in _STYLES}
_ONE_CHARACTER = (
    {chr(0x2474 + n): f"（{n + 1}）" for n in range(20)}
    | {chr(0x3220 + n): f"（{_CN[n]}）" for n in range(10)}
    | {chr(0x2488 + n): f"{n + 1}." for n in range(20)}
)  # ⑴ … ⒇, ㈠ … ㈩, and ⒈ … ⒛ (text copied out of a PDF)


def numbered_lines(lines: Iterable[str]) -> int:
    """How many of ``lines`` start with a number in one of the outline's styles: about as many items as
    parse_outline could find, counted without reading any (a cheap check before a huge file is parsed)."""
    patterns = [pattern for _style, pattern, _printed in _STYLES] + [_DECIMAL]
    return sum(1 for line in lines if (text := line.strip()) and any(p.match(text) for p in patterns))


_PREAMBLE = re.compile(r"总体要求|指导思想|基本原则|工作目标|主要目标|总体目标|发展目标|总体思路|工作思路|目标任务$")
_CLOSING = re.compile(r"保障措施|工作要求|组织保障|组织实施|保障机制|有关要求|工作保障|实施保障")
# Page furniture: skipped wherever it is (image names, print links) …
# Page numbers of a printed document copied out of its PDF: — 3 —, - 3 -, 第3页 共8页. They mark page breaks.
_PAGE_NUMBER = re.compile(
    r"^[—–\-－─]{1,2}\s*\d{1,3}\s*[—–\-－─]{1,2}$|^第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?$"
)
_SKIP = re.compile(
    r"^\S+\.(?:jpe?g|png|gif|webp|bmp)$|^【?打印本页|^【?关闭窗口|^您当前的位置|^当前位置|首页\s*>"
    rf"|{_PAGE_NUMBER.pattern}"
    # a table of contents: 目录, and its entries with dot leaders before a page number (一、总体要求……1)
    r"|^目\s*录$|(?:…{2,}|[.·．]{4,})\s*\d{1,3}$",
    re.I,
)
# … and once one of these follows the items, the document has ended.
_END = re.compile(
    r"^(责任编辑|编辑[:：]|稿源|来源[:：]|发布时间|发布日期|【打印|【关闭|分享到|扫一扫|上一篇|下一篇|相关链接|抄送|附件[:：\d]"
    r"|（此件|\(此件|www\.|https?://)"
)
# A line this long that stops mid-sentence was wrapped; a shorter one is a heading over its text.
_WRAP_WIDTH = 20
_SENTENCE_MARKS = re.compile(r"[。，,；;：:、（）()！？]")
_OPEN_END = re.compile(r"[。！？；：:…”’）)」』】\]]$")
# A 专栏 (a box of projects set beside the text) starts a paragraph of its own, wrapped line or not.
_BOX = re.compile(r"^专栏\s*[\d一二三四五六七八九十]*")


@dataclass
class _Node:
    level: int
    label: str
    number: int
    heading: str
    line: int
    prefix: str  # the number as written before the heading ("1.", "①", "（二）")
    lines: list[str] = field(default_factory=list)  # unnumbered paragraphs under the heading
    children: list["_Node"] = field(default_factory=list)

    def text(self) -> str:
        """The heading, its paragraphs and everything numbered below it, one paragraph a line."""
        parts = [self.heading, *self.lines]
        for child in self.children:
            parts.append(child.prefix + child.text())
        return "\n".join(p for p in parts if p)

    def add_line(self, text: str) -> None:
        """A further paragraph; a line wrapped inside a sentence or a bracket continues the one before it.

        A line copied out of a PDF may break inside an annotation (（责任单位：↵艺术处）):
        a bracket left open is no paragraph's end, even after a colon.
        """
        target = self.lines[-1] if self.lines else self.prefix + self.heading
        wrapped = len(target) >= _WRAP_WIDTH and not _OPEN_END.search(target)
        if (wrapped or _open_bracket(target)) and not _BOX.match(text):
            if self.lines:
                self.lines[-1] += text
            else:
                self.heading += text
        else:
            self.lines.append(text)


def _open_bracket(text: str) -> bool:
    """True when ``text`` opens more round brackets than it closes."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def classify(text: str) -> tuple[str, int, str, str] | None:
    """(style, number, printed label, rest) for a numbered paragraph, else None.

    One-character numbers (⑴, ㈠, ⒈) read as （1）, （一）, 1.; 1.1 is item 1 labelled "1.1".
    """
    if text[:1] in _ONE_CHARACTER:
        text = _ONE_CHARACTER[text[0]] + text[1:]
    decimal = _DECIMAL.match(text)
    if decimal and not _PATTERNS["arabic"].match(text):
        return "decimal", int(decimal.group(2)), f"{decimal.group(1)}.{decimal.group(2)}", decimal.group(3).strip()
    for style, pattern, printed in _STYLES:
        match = pattern.match(text)
        if match:
            numeral = match.group(1)
            try:
                if style == "circled":
                    number = _CIRCLED.index(numeral) + 1
                elif style in ("part", "cn", "cn_paren"):
                    number = chinese_to_int(numeral)
                else:
                    number = int(numeral)
            except ValueError:
                return None
            return style, number, printed.format(numeral), match.group(2).strip()
    return None


def parse_outline(
    lines: list[str], *, catalogue: Catalogue, year: int | None = None, title: str | None = None
) -> Draft:
    """Read numbered paragraphs (``lines``: one paragraph each, line numbers are positions + 1) into a Draft.

    ``year`` and ``title`` override what the document says. Raises
    DocumentError (with the line) for no numbered item, an item before the
    first section, a repeated section or item number, or an impossible date.
    A missing title or year is not an error here: the draft marks it uncertain.
    """
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in lines]
    breaks = {index for index, line in enumerate(lines) if _PAGE_NUMBER.search(line)}
    lines = ["" if _SKIP.search(line) else line for line in lines]
    title_index, found_title = front.find_title(lines, classify)
    start = title_index + 1 if title_index is not None else 0
    lines = lines[:start] + _without_page_headers(lines, start, breaks)
    before = lines[:start]
    nodes, tail, first_line = _tree(lines, start)
    if not nodes:
        raise DocumentError(gettext("没有识别出任何编号事项（段首应为“1.”“1、”“（一）”等）"), start or 1)
    draft_title = title or found_title
    year = year or front.year_of(draft_title) or front.year_of("\n".join(before + lines[start:first_line]))
    issuer, published_on = front.signature(tail)
    if not published_on:
        issuer, published_on = front.signature(before)
        published_on = published_on or next(filter(None, map(front.date_in, before + lines[start:first_line])), None)
    draft = Draft(year=year, title=draft_title, sections=[], issuer=issuer, published_on=published_on)
    if year is None:
        return draft  # nothing can be dated: the office (or --year) must say the year first
    context = ItemContext(year=year, catalogue=catalogue, written=published_on)
    _fill(draft, nodes, context)
    return draft


def _without_page_headers(lines: list[str], start: int, breaks: set[int]) -> list[str]:
    """``lines[start:]`` with the lines printed at the top or foot of every page blanked.

    Text copied out of a PDF repeats its page header (the plan's title, 某局文件)
    at each page break. Such a line stands next to a page number (``breaks``:
    the indexes of the lines that were one, now blank), is short, has no
    sentence punctuation, bears no number and occurs more than once in the
    document (the first time perhaps as the title, before ``start``). A line
    repeated elsewhere (6月底前完成 under two items) is text, and stays; so
    does the issuer signing above the date, even where it also heads the pages.
    """
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    kept = list(lines)
    for index in range(start, len(lines)):
        line = lines[index]
        if not line or counts[line] < 2 or len(line) > _HEADER_MAX or _SENTENCE_MARKS.search(line) or classify(line):
            continue
        after = next((other for other in lines[index + 1 :] if other), "")
        if _beside_page_break(lines, index, breaks) and not front.is_date_line(after):
            kept[index] = ""
    return kept[start:]


# The longest line read as a page header: a title or an issuer's name, never a paragraph.
_HEADER_MAX = 40


def _beside_page_break(lines: list[str], index: int, breaks: set[int]) -> bool:
    """True when the nearest non-blank line before or after ``lines[index]``, looking past blank lines, was a
    page number (``breaks``): the page's header under it, or its footer above it."""
    for step in (-1, 1):
        other = index + step
        while 0 <= other < len(lines) and not lines[other] and other not in breaks:
            other += step
        if other in breaks:
            return True
    return False


def _tree(lines: list[str], start: int) -> tuple[list[_Node], list[str], int]:
    """(top-level nodes, lines after the items, index of the first numbered line) from ``lines[start:]``."""
    numbered = [(i, classify(lines[i])) for i in range(start, len(lines)) if lines[i]]
    parents = {found[2].split(".")[0] for _, found in numbered if found and found[0] == "decimal"}
    numbered = [(i, found or _decimal_head(lines[i], parents)) for i, found in numbered]
    present = {found[0] for _, found in numbered if found}
    levels = {style: level for level, style in enumerate(s for s in _ORDER if s in present)}
    roots: list[_Node] = []
    stack: list[_Node] = []
    first = next((i for i, found in numbered if found), len(lines))
    box: _Box | None = None
    for index, found in numbered:
        text, line = lines[index], index + 1
        if box is not None and box.holds(text, found, levels):
            box.node.lines.append(text)
            continue
        box = None
        if found:
            style, number, label, rest = found
            prefix = text[: text.rindex(rest)] if rest else text
            node = _Node(levels[style], label, number, rest, line, prefix)
            while stack and stack[-1].level >= node.level:
                stack.pop()
            if stack:
                stack[-1].children.append(node)
            elif node.level > 0:
                raise DocumentError(gettext("编号事项出现在第一个部分标题之前"), line)
            else:
                roots.append(node)
            stack.append(node)
        elif not stack:
            continue  # before the first numbered paragraph: front matter
        elif _END.search(text) or front.is_date_line(text):
            return roots, _tail(stack[-1], lines[index:]), first
        elif _BOX.match(text):
            box = _Box(stack[-1])
            box.node.lines.append(text)
        else:
            stack[-1].add_line(text)
    return roots, [], first


@dataclass
class _Box:
    """A 专栏 (a box listing projects beside the text) after the item ``node``: its lines are that item's text.

    Its own numbers (1. 2. again, or （1）) are no items of the plan. The box ends
    at a heading above the item, at the item's next number (3. after item 2,
    whatever its punctuation: a box that itself reaches 3. then gives a
    repeated item number, refused with its line, rather than items silently
    taken into the box), at another 专栏, or where the document ends.
    """

    node: _Node
    level: int | None = None  # the level of the box's own numbers

    def holds(self, text: str, found, levels: dict[str, int]) -> bool:
        """True when the line ``text`` (``found``: what :func:`classify` made of it) is still the box's."""
        if found is None:
            return not (_END.search(text) or front.is_date_line(text) or _BOX.match(text))
        level, number = levels[found[0]], found[1]
        goes_on = level == self.node.level and number == self.node.number + 1  # 3. after item 2 is item 3
        if level < self.node.level or (self.level is not None and level < self.level) or goes_on:
            return False
        if self.level is None:
            self.level = level
        return True


def _decimal_head(text: str, parents: set[str]):
    """("decimal_head", …) for "1 强化战备建设" when items numbered 1.x follow it somewhere; else None."""
    match = _DECIMAL_HEAD.match(text)
    if match and match.group(1) in parents:
        return "decimal_head", int(match.group(1)), match.group(1), match.group(2).strip()
    return None


def _tail(last: _Node, rest: list[str]) -> list[str]:
    """The lines after the items, with a signature line taken back from the last item."""
    if last.lines and front.is_issuer(last.lines[-1]):
        return [last.lines.pop(), *rest]
    return rest


def _fill(draft: Draft, roots: list[_Node], context: ItemContext) -> None:
    """Turn the numbered tree into sections and items (see the module docstring for the rule)."""
    kept = [root for root in roots if not _is_frame(root)] or roots
    working = kept
    if len(kept) == 1 < len(roots) and kept[0].children and all(map(_is_subsection, kept[0].children)):
        # 一、总体要求 / 二、主要任务 / 三、保障措施: the one working part is a frame too, and
        # its （一） headings are the plan's real sections.
        kept = kept[0].children
    for root in roots:
        if root not in working:
            draft.notes.append(
                gettext("“%(label)s %(heading)s”是%(kind)s，未作为任务导入")
                % {"label": root.label, "heading": root.heading, "kind": _frame_kind(root)}
            )
    nested = any(root.children for root in kept)
    groups = [(root, root.children) for root in kept] if nested else [(None, kept)]
    seen_sections: dict[int, int] = {}
    last_with_items = max((root.line for root in kept if root.children), default=0)
    entries = []  # (section, item node, subsection heading, headings above it: nearest first)
    for root, children in groups:
        if root is None:
            section = DraftSection(ordinal=1, title=draft.title, line=1)
        else:
            if root.number in seen_sections:
                raise DocumentError(
                    gettext("部分序号“%(label)s、%(start)s”重复") % {"label": root.label, "start": root.heading[:1]},
                    root.line,
                )
            seen_sections[root.number] = root.line
            # 一、加强党建。坚持……: the part's name is its first sentence, without the units annotated on it
            title = without_annotations(root.heading.partition("。")[0]).rstrip("：:")
            section = DraftSection(ordinal=root.number, title=title, line=root.line)
        draft.sections.append(section)
        if root is not None and not children and root.lines and root.line < last_with_items:
            # 一、强化战备建设 / 一是……；二是……: a part with text and no numbered items, before
            # parts with items, is one item; after them it closes the plan (三、抓好落实).
            entries.append((section, root, "", ()))
            draft.notes.append(
                gettext("“%(section)s”下没有编号事项，整段作为一项任务导入，请核对") % {"section": section.title}
            )
        above = (root.heading,) if root is not None else ()
        for child in children:
            if _is_subsection(child):
                for item in child.children:
                    entries.append((section, item, without_annotations(child.heading), (child.heading, *above)))
            else:
                entries.append((section, child, "", above))
    _number_items(entries, context, by_position=any(entry[1] in kept for entry in entries) and nested)
    for section in [s for s in draft.sections if not s.items]:
        draft.notes.append(gettext("“%(section)s”下没有编号事项，未导入") % {"section": section.title})
    draft.sections = [section for section in draft.sections if section.items]


def _is_frame(node: _Node) -> bool:
    return bool(_PREAMBLE.search(fold(node.heading)) or _CLOSING.search(fold(node.heading)))


def _frame_kind(node: _Node) -> str:
    return gettext("前言部分") if _PREAMBLE.search(fold(node.heading)) else gettext("保障措施部分")


def _is_subsection(node: _Node) -> bool:
    """A heading over items ((一) 强化指挥体系 over 1. 2.), as opposed to an item with numbered points of its own."""
    short = len(without_annotations(node.heading)) <= 40  # the units annotated on it do not count
    return bool(node.children) and not node.lines and short and "。" not in node.heading


def _counts_from_one(numbers: list[int]) -> bool:
    return numbers[0] == 1 and all(a < b for a, b in zip(numbers, numbers[1:], strict=False))


def _number_items(entries, context: ItemContext, *, by_position: bool = False) -> None:
    """Give every item a number unique within the plan, keeping the printed one where it already is.

    Printed numbers that do not repeat are kept; numbering that restarts (each
    part or sub-section from 1 again) becomes 1 … N in document order, the
    printed number staying as the label, as does every number when
    ``by_position`` (a part taken as an item numbers in another series). Any
    other repeat is an error naming both lines.
    """
    groups: dict[tuple, list] = {}
    for section, node, subsection, _ in entries:
        groups.setdefault((section.ordinal, subsection), []).append(node.number)
    by_section: dict[int, list] = {}
    for (ordinal, _), numbers in groups.items():
        by_section.setdefault(ordinal, []).extend(numbers)
    # Restarting in each sub-section (（一）1. 2.（二）1.), or in each part and running
    # on across its sub-sections (一、（一）1. 2.（二）3. 二、（一）1.).
    restarts = by_position or any(
        len(grouping) > 1 and all(map(_counts_from_one, grouping.values())) for grouping in (groups, by_section)
    )
    if not restarts:
        seen: dict[int, int] = {}
        for _, node, _, _ in entries:
            if node.number in seen:
                raise DocumentError(
                    gettext("事项序号 %(number)s 重复（第%(first)s行已有）")
                    % {"number": node.number, "first": seen[node.number]},
                    node.line,
                )
            seen[node.number] = node.line
    for position, (section, node, subsection, units_from) in enumerate(entries, 1):
        section.items.append(
            build_item(
                number=position if restarts else node.number,
                label=node.label,
                text=node.text(),
                line=node.line,
                context=context,
                subsection=subsection,
                units_from=units_from,
            )
        )
