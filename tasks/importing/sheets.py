"""Rows of a task table from .xlsx, .xls, .csv, or text a table was flattened into.

Each reader returns a :class:`~tasks.importing.tables.Table` for
:func:`~tasks.importing.tables.parse_table`; merged cells are filled with their
top-left value, so a section or task merged over several rows is on every row.
"""

import csv
import datetime
import io
import re

from django.utils.translation import gettext

from .draft import DocumentError, unreadable
from .outline import classify
from .tables import Table, column_kinds, find_header, header_kind, join_tables


def read_xlsx(data: bytes) -> Table:
    """The first sheet with a task table's header (else the first sheet) as rows; row numbers as in Excel.

    Dates in cells become 2023年6月30日 so the time-phrase rule reads them.
    Raises DocumentError when the workbook cannot be opened.
    """
    from openpyxl import load_workbook  # loaded only for workbooks (see read_document)

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # whatever a damaged file makes openpyxl raise, the office gets a message
        raise unreadable("Excel", ".xlsx", exc) from None
    tables = []
    for sheet in workbook.worksheets:
        grid = [[_cell_text(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]
        merged = [(m.min_row - 1, m.max_row, m.min_col - 1, m.max_col) for m in sheet.merged_cells.ranges]
        hidden_rows = {number - 1 for number, row in sheet.row_dimensions.items() if row.hidden}
        hidden_columns = {
            index - 1
            for column in sheet.column_dimensions.values()
            if column.hidden and column.min
            for index in range(column.min, (column.max or column.min) + 1)
        }
        tables.append(_sheet_table(sheet.title, grid, merged, hidden_rows, hidden_columns))
    return join_tables(tables) or tables[0]


def read_xls(data: bytes) -> Table:
    """As :func:`read_xlsx`, for a workbook saved in the Excel 97-2003 format (.xls, also WPS's .et saved as .xls).

    Raises DocumentError when the workbook cannot be opened.
    """
    import xlrd  # loaded only for legacy workbooks

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
        sheets = [
            (sheet.name, [[_xls_value(book, cell) for cell in sheet.row(r)] for r in range(sheet.nrows)], sheet)
            for sheet in book.sheets()
        ]
    except Exception as exc:  # whatever a damaged file makes xlrd raise, the office gets a message
        raise unreadable("Excel", ".xlsx", exc) from None
    tables = [
        _sheet_table(
            title,
            grid,
            sheet.merged_cells,
            {number for number, row in sheet.rowinfo_map.items() if row.hidden},
            {number for number, column in sheet.colinfo_map.items() if column.hidden},
        )
        for title, grid, sheet in sheets
    ]
    if not tables:
        raise DocumentError(gettext("Excel 文件中没有工作表"))
    return join_tables(tables) or tables[0]


def _xls_value(book, cell) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        shown = book.format_map.get(book.xf_list[cell.xf_index].format_key)
        return _cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode), shown.format_str if shown else "")
    return _cell_text(cell.value if cell.ctype != xlrd.XL_CELL_EMPTY else None)


def _sheet_table(
    title: str,
    grid: list[list[str]],
    merged: list[tuple[int, int, int, int]],
    hidden_rows: set[int] = frozenset(),
    hidden_columns: set[int] = frozenset(),
) -> Table:
    """One sheet's rows (numbered as in Excel), merged ranges (row from, row to, column from, column to;
    the ends exclusive) filled with their top-left value, and the sheet's name as the text before them.

    A sheet named as a part (一、经济发展) of a workbook with one sheet per part
    gives that part's section row under its header. Hidden rows and columns
    (0-based numbers) are not read: what the author hid (a withdrawn task, an
    internal remark, an old deadline column) is not the plan. A hidden task
    row is named in the table's notes, so the office can unhide it and import again.
    """
    for row_from, row_to, column_from, column_to in merged:
        top_left = grid[row_from][column_from]
        for row in range(row_from, min(row_to, len(grid))):
            for column in range(column_from, min(column_to, len(grid[row]))):
                grid[row][column] = top_left
    for cells in grid:
        for column in hidden_columns & set(range(len(cells))):
            cells[column] = ""
    rows = [(number, cells) for number, cells in enumerate(grid, 1) if number - 1 not in hidden_rows]
    header = find_header(rows)
    notes = []
    if header is not None:
        left_out = [n + 1 for n in sorted(hidden_rows) if n + 1 > rows[header][0] and n < len(grid) and any(grid[n])]
        if left_out:
            notes.append(
                gettext("工作表“%(sheet)s”第%(rows)s行是隐藏行，未导入；如需导入，请在 Excel 中取消隐藏后重新上传")
                % {"sheet": title, "rows": "、".join(map(str, left_out))}
            )
    if header is not None and classify(title.strip()):
        rows.insert(header + 1, (header + 1, [title.strip()]))
    return Table(rows=rows, before=[title], notes=notes)


# The quoted text, [colour]/[$-804] sections and escaped characters of an Excel number format.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _cell_text(value, number_format: str = "") -> str:
    """A cell as text; a date as 2023年6月30日, or 2023年6月 where the cell shows no day.

    A month typed into Excel (2024/6) is stored as its first day and shown
    without one (yyyy"年"m"月", mmm-yy): it means the month, so the time-phrase
    rule dates it at the month's end, not on the 1st.
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        if number_format and "d" not in _FORMAT_LITERALS.sub("", number_format).lower():
            return f"{value.year}年{value.month}月"
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(text: str) -> Table:
    """Rows of comma-, tab- or semicolon-separated text; line numbers as in the file."""
    sample = text[:4096]
    delimiter = max(",\t;，", key=sample.count)
    if delimiter == "，":
        delimiter = ","
    rows = [(number, cells) for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)]
    return Table(rows=rows, before=[])


def flattened_table(lines: list[str]) -> Table | None:
    """A task table flattened into text, if ``lines`` hold one; else None.

    Three shapes: cells separated by ``|`` or tabs (a pasted or Markdown
    table); by spaces under a header of column names only (text copied out of
    a PDF); or one cell per line under a header written one name per line,
    with each row starting at its number (序号 first).
    """
    piped = [(n, _cells(line)) for n, line in enumerate(lines, 1) if _separator(line)]
    piped = [(n, cells) for n, cells in piped if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c)]
    header = find_header(piped)
    if header is not None:
        before = lines[: piped[header][0] - 1]
        return Table(rows=piped[header:], before=before)
    return _spaced(lines) or _one_cell_per_line(lines)


def _spaced(lines: list[str]) -> Table | None:
    """Rows split at spaces, under a line made only of column names; extra cells belong to the task's text."""
    for start, line in enumerate(lines[:60]):
        names = line.split()
        if len(names) < 3 or not all(header_kind(name) for name in names) or not column_kinds(names):
            continue
        text_column = names.index(next(n for n in names if header_kind(n) in ("title", "body")))
        rows = [(start + 1, names)]
        for number, row in enumerate(lines[start + 1 :], start + 2):
            cells = row.split()
            extra = len(cells) - len(names)
            if extra > 0:  # spaces inside the task's text
                cells[text_column : text_column + extra + 1] = [" ".join(cells[text_column : text_column + extra + 1])]
            if cells:
                rows.append((number, cells))
        return Table(rows=rows, before=lines[:start])
    return None


def _separator(line: str) -> str | None:
    """The cell separator of a flattened table row: | or ｜ (Markdown, pasted), or a tab (copied from a web page)."""
    return next((mark for mark in ("|", "｜", "\t") if line.count(mark) >= 2), None)


def _cells(line: str) -> list[str]:
    mark = _separator(line)
    return [cell.strip() for cell in line.strip(" \n").strip("|｜").split(mark)]


def _one_cell_per_line(lines: list[str]) -> Table | None:
    stripped = [line.strip() for line in lines]
    for start in range(min(len(stripped), 60)):
        width = 0
        while start + width < len(stripped) and header_kind(stripped[start + width]) and width < 12:
            width += 1
        if width < 3 or not column_kinds(stripped[start : start + width]):
            continue
        header = stripped[start : start + width]
        rows = [(start + 1, header)]
        current: list[str] | None = None
        body = stripped[start + width :]
        # An empty line is an empty cell (a blank 配合单位), unless the page puts one between every cell.
        blank_is_cell = body.count("") * 4 < len(body)
        for number, text in enumerate(body, start + width + 1):
            if not text:
                if blank_is_cell and current and len(current) < width:
                    current.append("")
                continue
            starts_row = re.fullmatch(r"\d{1,4}[.．、]?", text) or (classify(text) or ("",))[0] in ("part", "cn")
            if starts_row or current is None or len(current) >= width:
                current = [text]
                rows.append((number, current))
            else:
                current.append(text)
        return Table(rows=rows, before=lines[:start])
    return None
