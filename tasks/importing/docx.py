"""Reading a Word file (.docx): paragraphs with the numbers Word shows, and tables.

docx2python walks the document (body paragraphs and tables in order, merged
cells repeated into every cell they cover). Numbers come from Word's own list
definitions (word/numbering.xml), whether a paragraph carries its list directly
or through its paragraph style (a list style such as 标题 1 → 一、): docx2python
renders every level as "1)" and ignores list styles, and python-docx does not
render numbers at all, so :class:`_Numbering` renders them as Word does
(lvlText such as "（%2）", chineseCounting as 一二三).
"""

import io
import re
import warnings
import zipfile
from xml.etree import ElementTree

from docx2python import docx2python

from ..numerals import int_to_chinese
from .draft import unreadable
from .items import ROLE_LABEL

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# The entries of a table of contents: Word's styles TOC 1 … (toc 1 in any language), LibreOffice's Contents 1.
_TOC_STYLE = re.compile(r"^(?:toc|contents|目录)\s*\d", re.I)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def read_docx(data: bytes) -> tuple[list[str], list[list[list[str]]], list[list[str]]]:
    """(paragraphs, tables as rows of cell texts, each table's lead-in) of a .docx, in document order.

    A table's lead-in is the paragraphs between it and the table before it (or
    the start): where a part heading (二、强化督查督办) stands over each table.

    Only the body is read: page headers and footers, footnotes, comments and
    the entries of a table of contents are not the plan's paragraphs. A text
    box is one paragraph of its own after the one it is anchored in, once
    (not again in the copy Word keeps for old readers).
    Each paragraph is one string with its list number in front as Word shows
    it; a manual line break inside a sentence joins the halves, and one after
    a sentence or before a unit label (……报批。↵（牵头单位：…）, 牵头单位：…↵配合单位：…)
    starts a line of its own, as a new paragraph would. The paragraphs
    of tables are among them, in place (a plan laid out inside a table). Raises
    DocumentError when the file is not a readable Word document.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        numbering = _Numbering(archive)
        with warnings.catch_warnings():  # its own rendering of numbers warns on 一二三; _Numbering renders them
            warnings.simplefilter("ignore", UserWarning)
            with docx2python(io.BytesIO(_vertical_merges_as_word_writes(archive) or data)) as document:
                body = document.body_pars
    except Exception as exc:  # whatever a damaged file makes the parsers raise, the office gets a message
        raise unreadable("Word", ".docx", exc) from None
    elements: list = []
    seen: set[int] = set()  # ids of the paragraph elements, alive as long as the document
    boxed: dict[int, list] = {}  # id of a paragraph → the text boxes' paragraphs anchored in it, met before it
    tables: list[list[list[str]]] = []
    lead_ins: list[tuple[int, int]] = []  # (from, to) positions in elements
    after_table = 0
    for block in body:
        first = _first_par(block)
        if first is not None and first.lineage[1] == "tbl":
            lead_ins.append((after_table, len(elements)))
            tables.append([["\n".join(filter(None, _each(cell, numbering))) for cell in row] for row in block])
        # A table that is no task table may hold the plan itself (a layout table): each of its
        # paragraphs is one, once even where a merged cell repeats it.
        for par in (par for row in block for cell in row for par in cell):
            if _is_furniture(par.elem, numbering):
                continue
            if id(par.elem) not in seen:
                seen.add(id(par.elem))
                anchor = next(par.elem.iterancestors(f"{_W}p"), None)
                if anchor is not None:
                    boxed.setdefault(id(anchor), []).append(par.elem)
                    continue
                elements.append(par.elem)
                elements += boxed.pop(id(par.elem), [])
        if first is not None and first.lineage[1] == "tbl":
            after_table = len(elements)
    elements += [par for pars in boxed.values() for par in pars]
    texts = _with_headings_numbered(elements, numbering)
    lines = [line for text in texts for line in text.split("\n")]
    between = [[line for text in texts[start:end] for line in text.split("\n")] for start, end in lead_ins]
    return lines, tables, between


_CONTINUE = re.compile(rb'<w:vMerge\s+w:val="continue"\s*/>')


def _vertical_merges_as_word_writes(archive: zipfile.ZipFile) -> bytes | None:
    """The file with LibreOffice's ``<w:vMerge w:val="continue"/>`` as Word writes it; None if it has none.

    docx2python repeats a vertically merged cell into the rows below only in
    Word's form (``<w:vMerge/>``); a table re-saved by LibreOffice
    lost the lead unit merged over two tasks on the second one.
    """
    document = archive.read("word/document.xml")
    if not _CONTINUE.search(document):
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            content = archive.read(info.filename)
            if info.filename == "word/document.xml":
                content = _CONTINUE.sub(b"<w:vMerge/>", content)
            copy.writestr(info, content)
    return out.getvalue()


def _with_headings_numbered(elements: list, numbering: "_Numbering") -> list[str]:
    """The paragraphs' texts; headings Word shows without a number get the number their level would have.

    A plan whose parts are Word headings (标题 1 / 标题 2, outline levels 1 and
    2) with no number of their own reads as 一、/（一） parts, so its parts are
    sections and not lines of the item above them. The plan's title and the
    notice around it, even in a heading style, are left as they are.
    """
    from . import front
    from .outline import classify

    texts = [numbering.number(element) + _text(element) for element in elements]
    if not any(classify(text) for text in texts):
        return texts  # no numbered items: nothing to put the headings over
    counters = [0, 0]
    for index, (element, text) in enumerate(zip(elements, texts, strict=True)):
        level = numbering.outline_level(element)
        if level not in (0, 1) or not text or classify(text) or front.is_title(text) or front.is_notice(text):
            continue
        counters[level] += 1
        if level == 0:
            counters[1] = 0
        number = int_to_chinese(counters[level])
        texts[index] = f"{number}、{text}" if level == 0 else f"（{number}）{text}"
    return texts


def _is_furniture(paragraph, numbering: "_Numbering") -> bool:
    """True for a paragraph that is no part of the text: a table-of-contents entry, or a text box's fallback copy."""
    for ancestor in paragraph.iterancestors():
        if ancestor.tag == _MC_FALLBACK:
            return True
        gallery = ancestor.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery") if ancestor.tag == f"{_W}sdt" else None
        if gallery is not None and "Contents" in (gallery.get(f"{_W}val") or ""):
            return True
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return style is not None and bool(_TOC_STYLE.match(numbering.style_names.get(style.get(f"{_W}val"), "")))


def _first_par(block):
    for row in block:
        for cell in row:
            for par in cell:
                return par
    return None


def _each(cell, numbering: "_Numbering") -> list[str]:
    return [numbering.number(par.elem) + _text(par.elem) for par in cell]


def _text(paragraph) -> str:
    """A paragraph's text: w:t runs, tabs as spaces, a manual break joining the halves of a sentence."""
    parts = []
    for element in _own_elements(paragraph):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "t" and element.text:
            parts.append(element.text)
        elif tag == "tab":
            parts.append(" ")
        elif tag in ("br", "cr"):
            parts.append("\x0b")
    text = "".join(parts)
    text = re.sub(rf"(?<=[。！？；：:])\x0b|\x0b(?=\s*{ROLE_LABEL.pattern})", "\n", text)
    return text.replace("\x0b", "").strip()


def _own_elements(element):
    """``element`` and its descendants, without what a text box anchored in it holds (read as its own paragraph)."""
    yield element
    for child in element:
        if child.tag not in (f"{_W}txbxContent", _MC_FALLBACK):
            yield from _own_elements(child)


class _Numbering:
    """Word's list definitions and running counters: the number shown before each list paragraph."""

    def __init__(self, archive: zipfile.ZipFile):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (numFmt, lvlText, start)
        self.style_numbers: dict[str, tuple[str, int]] = {}  # paragraph style id → (numId, ilvl)
        # Word counts per list definition (abstractNum): two numIds on one definition continue
        # each other, unless a numId restarts a level (lvlOverride/startOverride, Word's
        # "重新开始于 1", and how LibreOffice saves a restarted list) where it is first used.
        self.definition: dict[str, str] = {}  # numId → abstractNumId
        self.restarts: dict[str, dict[int, int]] = {}  # numId → ilvl → start value
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId → ilvl → last number shown
        self.shown: dict[object, str] = {}  # a merged table cell's paragraph is met once per cell it covers
        self.style_outline: dict[str, int] = {}  # paragraph style id → outline level (标题 1 → 0)
        self.style_names: dict[str, str] = {}  # paragraph style id → its name (toc 1)
        names = set(archive.namelist())
        if "word/numbering.xml" in names:
            self._read_numbering(ElementTree.fromstring(archive.read("word/numbering.xml")))
        if "word/styles.xml" in names:
            self._read_styles(ElementTree.fromstring(archive.read("word/styles.xml")))

    def _read_numbering(self, root) -> None:
        abstract = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels = {}
            for level in node.iter(f"{_W}lvl"):
                fmt, text, start = level.find(f"{_W}numFmt"), level.find(f"{_W}lvlText"), level.find(f"{_W}start")
                levels[int(level.get(f"{_W}ilvl"))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for node in root.iter(f"{_W}num"):
            reference = node.find(f"{_W}abstractNumId")
            if reference is None:
                continue
            num_id = node.get(f"{_W}numId")
            self.definition[num_id] = reference.get(f"{_W}val")
            self.levels[num_id] = abstract.get(self.definition[num_id], {})
            for override in node.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    self.restarts.setdefault(num_id, {})[int(override.get(f"{_W}ilvl"))] = int(start.get(f"{_W}val"))

    def _read_styles(self, root) -> None:
        based_on, own = {}, {}
        for style in root.iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            name = style.find(f"{_W}name")
            self.style_names[style_id] = name.get(f"{_W}val") if name is not None else ""
            parent = style.find(f"{_W}basedOn")
            based_on[style_id] = parent.get(f"{_W}val") if parent is not None else None
            found = _num_pr(style.find(f"{_W}pPr"))
            if found:
                own[style_id] = found
            level = _outline_level(style.find(f"{_W}pPr"))
            if level is not None:
                self.style_outline[style_id] = level
        for style_id in based_on:
            current, seen = style_id, set()
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based_on.get(current)
            if current in own:
                self.style_numbers[style_id] = own[current]

    def outline_level(self, paragraph) -> int | None:
        """The outline level Word gives ``paragraph`` (0 for 标题 1), its own or its style's; None for body text."""
        properties = paragraph.find(f"{_W}pPr")
        level = _outline_level(properties)
        style = properties.find(f"{_W}pStyle") if properties is not None else None
        if level is None and style is not None:
            level = self.style_outline.get(style.get(f"{_W}val"))
        return level

    def number(self, paragraph) -> str:
        """The list number Word shows before ``paragraph`` ("一、", "（二）", "3."); "" if none.

        Advances the list's counters the first time a paragraph is met.
        """
        if paragraph not in self.shown:
            self.shown[paragraph] = self._next(paragraph)
        return self.shown[paragraph]

    def _next(self, paragraph) -> str:
        properties = paragraph.find(f"{_W}pPr")
        found = _num_pr(properties)
        if found is None and properties is not None:
            style = properties.find(f"{_W}pStyle")
            found = self.style_numbers.get(style.get(f"{_W}val")) if style is not None else None
        if not found or found[0] not in self.levels or found[0] == "0":
            return ""
        num_id, level = found
        levels = self.levels[num_id]
        if level not in levels or levels[level][0] in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(self.definition[num_id], {})
        for restarted, start in self.restarts.pop(num_id, {}).items():  # only where the numId is first used
            counters[restarted] = start - 1
            for deeper in [key for key in counters if key > restarted]:
                del counters[deeper]
        counters[level] = counters.get(level, levels[level][2] - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        return re.sub(
            r"%(\d)",
            lambda m: _format(
                levels.get(int(m.group(1)) - 1, ("decimal", "", 1))[0], counters.get(int(m.group(1)) - 1, 1)
            ),
            levels[level][1],
        )


def _outline_level(properties) -> int | None:
    found = properties.find(f"{_W}outlineLvl") if properties is not None else None
    level = int(found.get(f"{_W}val")) if found is not None else None
    return level if level is not None and level < 9 else None  # 9: body text


def _num_pr(properties) -> tuple[str, int] | None:
    if properties is None:
        return None
    numbering = properties.find(f"{_W}numPr")
    if numbering is None:
        return None
    num_id, level = numbering.find(f"{_W}numId"), numbering.find(f"{_W}ilvl")
    if num_id is None:
        return None
    return num_id.get(f"{_W}val"), int(level.get(f"{_W}val")) if level is not None else 0


def _format(fmt: str, value: int) -> str:
    """One counter in a Word number format (decimal, chineseCounting, decimalEnclosedCircle, …)."""
    if (
        fmt.startswith(("chineseCounting", "ideographTraditional", "japaneseCounting", "taiwaneseCounting"))
        and value < 100
    ):
        return int_to_chinese(value)
    if fmt.startswith("decimalEnclosedCircle") and value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "decimalFullWidth":
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(value)
