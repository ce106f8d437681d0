"""Short made-up documents for importer tests: Word files numbered by Word's own lists, and workbooks.

The Word files carry their numbers the way Word saves them: a numbering.xml
list definition (一、 / （一） / 1. as chineseCounting and decimal levels),
attached to paragraphs either directly or through a paragraph style (a list
style), never as typed digits.
"""

import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from openpyxl import Workbook

# Levels of the multi-level list, as Chinese official documents number them.
LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
LIST_ID = 90


def word_file(paragraphs: list[tuple[int | None, str]], *, through_styles: bool = False, table=None) -> bytes:
    """A .docx: each (level, text) paragraph numbered by Word's list at ``level`` (None: not numbered).

    With ``through_styles`` the list is attached to paragraph styles (列表 1/2/3),
    as when an office numbers its headings by a list style. ``table`` (rows of
    cell texts; a row of one cell spans the table) is added after the paragraphs.
    """
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(LEVELS)
    )
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{LIST_ID}">{levels}</w:abstractNum>'))
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{LIST_ID}"><w:abstractNumId w:val="{LIST_ID}"/></w:num>')
    )
    styles = document.styles.element
    if through_styles:
        for level in range(len(LEVELS)):
            styles.append(
                parse_xml(
                    f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="PlanLevel{level}">'
                    f'<w:name w:val="PlanLevel{level}"/><w:basedOn w:val="Normal"/>'
                    f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{LIST_ID}"/></w:numPr></w:pPr></w:style>'
                )
            )
    for level, text in paragraphs:
        paragraph = document.add_paragraph()
        for n, part in enumerate(text.split("\x0b")):
            run = paragraph.add_run(part)
            if n < text.count("\x0b"):
                run.add_break()
        if level is None:
            continue
        properties = paragraph._p.get_or_add_pPr()
        if through_styles:
            properties.append(parse_xml(f'<w:pStyle {nsdecls("w")} w:val="PlanLevel{level}"/>'))
        else:
            properties.append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{LIST_ID}"/></w:numPr>')
            )
    if table:
        width = max(len(row) for row in table)
        grid = document.add_table(rows=len(table), cols=width)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
            if len(row) == 1:
                grid.cell(r, 0).merge(grid.cell(r, width - 1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_file_instances(paragraphs: list[tuple[int | None, int, str]], restarts: dict[int, int]) -> bytes:
    """A .docx whose paragraphs use several list instances (numIds) of the one multi-level list.

    ``paragraphs`` are (numId or None, level, text). Every numId shares the list
    definition of :func:`word_file`, as Word and LibreOffice save a list that
    goes on after a heading or restarts: ``restarts`` maps a numId to the level
    it restarts at 1 (lvlOverride/startOverride); a numId not in it continues.
    """
    document = docx.Document(io.BytesIO(word_file([(0, "x")])))
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    numbering = document.part.numbering_part.element
    for num_id in {num for num, _, _ in paragraphs if num is not None and num != LIST_ID}:
        override = (
            f'<w:lvlOverride w:ilvl="{restarts[num_id]}"><w:startOverride w:val="1"/></w:lvlOverride>'
            if num_id in restarts
            else ""
        )
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{LIST_ID}"/>{override}</w:num>'
            )
        )
    for num_id, level, text in paragraphs:
        paragraph = document.add_paragraph(text)
        if num_id is not None:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def workbook(rows: list[list], merges: list[str] = (), *, sheet="Sheet1") -> bytes:
    """An .xlsx with ``rows`` from A1 and the merged ranges ``merges`` ("A3:A5").

    As in Excel, a merged range keeps only its top-left value.
    """
    book = Workbook()
    sheet_ = book.active
    sheet_.title = sheet
    for row in rows:
        sheet_.append(row)
    for merged in merges:
        sheet_.merge_cells(merged)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
