"""What every workbook the tracker writes shares: cell styles, page setup, safe texts and file names.

Used by the quarterly table (reports.exports) and the fill-in workbook (reports.fill_in),
so both print alike: 宋体 10 pt, thin grey borders, A4 landscape with the header rows
repeated and 第 N 页，共 M 页 in the footer.
"""

import re
import unicodedata

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)


def safe_filename(stem: str, suffix: str) -> str:
    """``stem`` + ``suffix`` with the characters no common file system takes (\\ / : * ? " < > | controls) made _."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", stem) + suffix


def clean_text(value: str) -> str:
    """Text as Excel accepts it: characters Excel forbids (control characters such as a vertical tab) removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


_WIDE = frozenset("WF").__contains__  # unicodedata.east_asian_width's wide (W) and full-width (F)


def display_width(text: str) -> int:
    """Width in character cells of the longest line: East Asian wide and full-width characters count two."""
    # Each character counts one, and one more when wide: counted in C through map (the table measures every cell).
    return max(len(line) + sum(map(_WIDE, map(unicodedata.east_asian_width, line))) for line in text.split("\n"))


def page_setup(ws, *, header_rows: str) -> None:
    """A4 landscape, one page wide, ``header_rows`` (e.g. "3:4") repeated on every printed page, page numbers below."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
