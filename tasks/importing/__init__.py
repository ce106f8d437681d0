"""Importing a published plan: read any of the shapes offices have into a draft, then write it.

Rule source: DESIGN.md, "Reading a published document". :func:`read_document`
is the one entry point for reading (bytes and a file name in, a
:class:`~tasks.importing.draft.Draft` out, nothing written); the preview page and
``import_workplan`` both call it. :mod:`tasks.importing.writer` writes a draft.

Modules: ``formats`` (which reader, what is refused), ``text`` (encodings),
``docx`` (Word), ``sheets`` (.xlsx, .xls, .csv, flattened tables), ``outline``
(numbered paragraphs), ``tables`` (task tables), ``front`` (title, issuer,
date), ``items`` (one item's title, dates and departments), ``catalogue``
(department names), ``draft`` (the data), ``writer`` (saving, re-import).
"""

from django.utils.translation import gettext

from .catalogue import Catalogue
from .draft import DocumentError, Draft
from .formats import MAX_BYTES, kind_of
from .outline import numbered_lines, parse_outline
from .sheets import flattened_table, read_csv
from .tables import Table, join_tables, parse_table, under_heading
from .text import decode_text

__all__ = ["MAX_BYTES", "MAX_ITEMS", "Catalogue", "DocumentError", "Draft", "read_document"]


# The most items one import takes: the preview posts seven fields an item (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
# is 20,000), and a year's plan, even a task table, is far smaller.
MAX_ITEMS = 2500
# Numbered lines or table rows past which a file is refused before its items are read (parsing takes about
# 0.4 ms an item: a 10 MB text of 28,000 items ran past a web worker's timeout before MAX_ITEMS refused it).
MAX_LINES = 4 * MAX_ITEMS


def read_document(
    data: bytes, *, filename: str, catalogue: Catalogue, year: int | None = None, title: str | None = None
) -> Draft:
    """Read a plan from ``data`` (the file's bytes; ``filename`` picks .docx/.xlsx/.xls/.csv) into a Draft.

    ``year`` and ``title`` override what the document says (the command line's
    --year/--title, the preview's fields). Raises DocumentError, with the line
    where there is one, for a refused format (.doc, .pdf, images, archives, a password-protected file),
    a file over MAX_BYTES, NUL bytes, an unknown encoding, no item, more than MAX_ITEMS items, repeated
    numbers or an impossible date. Writes nothing.
    """
    draft = _read(data, filename=filename, catalogue=catalogue, year=year, title=title)
    if len(draft.items) > MAX_ITEMS:
        raise DocumentError(
            gettext("文件中有 %(count)d 项，超过一次导入的上限 %(limit)d 项，请分成几份文件分别导入")
            % {"count": len(draft.items), "limit": MAX_ITEMS}
        )
    return draft


def _read(
    data: bytes, *, filename: str, catalogue: Catalogue, year: int | None = None, title: str | None = None
) -> Draft:
    """read_document without the count of items."""
    kind = kind_of(data, filename)
    # The Word and Excel libraries load only for their files: a text import starts faster.
    if kind in ("xlsx", "xls"):
        from .sheets import read_xls, read_xlsx

        table = read_xlsx(data) if kind == "xlsx" else read_xls(data)
        _not_too_long(_filled_rows(table))
        return parse_table(table, catalogue=catalogue, year=year, title=title)
    if kind == "docx":
        from .docx import read_docx

        paragraphs, tables, lead_ins = read_docx(data)
        pieces, line = [], 0
        for rows, lead_in in zip(tables, lead_ins, strict=True):  # rows numbered on through the tables
            before = (
                paragraphs[: paragraphs.index(next(c for c in rows[0] if c).split("\n")[0])] if any(rows[0]) else []
            )
            pieces.append(under_heading(Table(list(enumerate(rows, line + 1)), before), lead_in))
            line += len(rows)
        table = join_tables(pieces)
        if table is None:
            return parse_outline(paragraphs, catalogue=catalogue, year=year, title=title)
        return _body_or_table(table, catalogue=catalogue, year=year, title=title)
    text = decode_text(data)
    if kind == "csv":
        table = read_csv(text)
        _not_too_long(_filled_rows(table))
        return parse_table(table, catalogue=catalogue, year=year, title=title)
    lines = text.split("\n")
    _not_too_long(numbered_lines(lines))
    table = flattened_table(lines)
    if table is not None:
        return _body_or_table(table, catalogue=catalogue, year=year, title=title)
    return parse_outline(lines, catalogue=catalogue, year=year, title=title)


def _filled_rows(table: Table) -> int:
    """The rows of ``table`` with any text: a sheet's formatting dragged down thousands of empty rows (borders on
    a template) is not content."""
    return sum(1 for _line, cells in table.rows if any(cell.strip() for cell in cells if cell))


def _not_too_long(count: int) -> None:
    """Refuse, before reading any item, a file with ``count`` (numbered lines or table rows) over MAX_LINES:
    it holds far more than MAX_ITEMS items. Raises DocumentError."""
    if count > MAX_LINES:
        raise DocumentError(
            gettext("文件中有 %(count)d 段编号文字或表格行，远超一次导入的上限 %(limit)d 项，请分成几份文件分别导入")
            % {"count": count, "limit": MAX_ITEMS}
        )


def _body_or_table(table: Table, *, catalogue: Catalogue, year: int | None, title: str | None) -> Draft:
    """The plan of a document (Word, or text with a table pasted in) holding both numbered text and a
    task table: the table, unless the text has more items.

    A body of numbered items followed by an 附件 table summing up some of them
    is a plan in its text; a notice (or a few numbered requirements, as many
    as the table's rows or fewer) over the table is a plan in its table. The
    draft notes what was left out either way, so the preview shows it.
    """
    from_table = parse_table(table, catalogue=catalogue, year=year, title=title)
    try:
        from_text = parse_outline(table.before, catalogue=catalogue, year=year, title=title)
    except DocumentError:
        return from_table
    if len(from_text.items) <= len(from_table.items):
        from_table.notes.append(
            gettext("按表格导入（%(rows)s 项）；表格前正文中的 %(items)s 段编号文字未导入，请核对")
            % {"items": len(from_text.items), "rows": len(from_table.items)}
        )
        return from_table
    from_text.notes.append(
        gettext("正文已有 %(items)s 项编号事项，按正文导入；正文后的表格（%(rows)s 项）未导入，请核对")
        % {"items": len(from_text.items), "rows": len(from_table.items)}
    )
    return from_text
