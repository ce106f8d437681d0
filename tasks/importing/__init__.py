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

from .catalogue import Catalogue
from .draft import DocumentError, Draft
from .formats import MAX_BYTES, kind_of
from .outline import parse_outline
from .sheets import flattened_table, read_csv
from .tables import Table, join_tables, parse_table
from .text import decode_text

__all__ = ["MAX_BYTES", "Catalogue", "DocumentError", "Draft", "read_document"]


def read_document(
    data: bytes, *, filename: str, catalogue: Catalogue, year: int | None = None, title: str | None = None
) -> Draft:
    """Read a plan from ``data`` (the file's bytes; ``filename`` picks .docx/.xlsx/.xls/.csv) into a Draft.

    ``year`` and ``title`` override what the document says (the command line's
    --year/--title, the preview's fields). Raises DocumentError, with the line
    where there is one, for a refused format (.doc, .pdf, images, archives, a password-protected file),
    a file over MAX_BYTES, NUL bytes, an unknown encoding, no item, repeated
    numbers or an impossible date. Writes nothing.
    """
    kind = kind_of(data, filename)
    # The Word and Excel libraries load only for their files: a text import starts faster.
    if kind in ("xlsx", "xls"):
        from .sheets import read_xls, read_xlsx

        table = read_xlsx(data) if kind == "xlsx" else read_xls(data)
        return parse_table(table, catalogue=catalogue, year=year, title=title)
    if kind == "docx":
        from .docx import read_docx

        paragraphs, tables = read_docx(data)
        pieces, line = [], 0
        for rows in tables:  # rows numbered on through the tables: a message names one row
            before = (
                paragraphs[: paragraphs.index(next(c for c in rows[0] if c).split("\n")[0])] if any(rows[0]) else []
            )
            pieces.append(Table(list(enumerate(rows, line + 1)), before))
            line += len(rows)
        table = join_tables(pieces)
        if table is not None:
            return parse_table(table, catalogue=catalogue, year=year, title=title)
        return parse_outline(paragraphs, catalogue=catalogue, year=year, title=title)
    text = decode_text(data)
    if kind == "csv":
        return parse_table(read_csv(text), catalogue=catalogue, year=year, title=title)
    lines = text.split("\n")
    table = flattened_table(lines)
    if table is not None:
        return parse_table(table, catalogue=catalogue, year=year, title=title)
    return parse_outline(lines, catalogue=catalogue, year=year, title=title)
