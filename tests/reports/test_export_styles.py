"""The quarterly table keeps each cell's look and marks while it is read as plain values and its styles are shared.

The export registers each distinct style once per workbook and gives the cells that have it the same style
entry; these tests hold every kind of cell to its look, so that sharing never leaks a style (a quote prefix,
a light's fill) onto cells that should not have it, and the frozen table to what its draft showed.
"""

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from departments.models import Department
from reports.exports import quarterly_table, write_quarterly_workbook
from tasks.models import Assignment
from tests.factories import ReportFactory, ReviewFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
FILLS = {"已办结": "00D9D9D9", "滞后": "00FCE49A", "逾期": "00F4B6B0", "临期": "00BDD7EE", "序时推进": "00B7DFC1"}


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def book(plan, quarter, now, department=None):
    stream = io.BytesIO()
    write_quarterly_workbook(quarterly_table(workplan=plan, quarter=quarter, department=department, now=now), stream)
    return openpyxl.load_workbook(io.BytesIO(stream.getvalue()))


def values(workbook):
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


def assignment(number, code=None):
    found = Assignment.objects.filter(task__number=number)
    return found.get(department__code=code) if code else found.get()


@pytest.fixture
def reported(plan_2021):
    """Item 1 closed in March; item 2's text looks like a formula; 鄞州 reports item 8 on time and item 9 late."""
    claim = ReportFactory(
        assignment=assignment(1), status="completed", percent_complete=100, submitted_at=at(2021, 3, 1)
    )
    ReviewFactory(report=claim, reviewed_at=at(2021, 3, 2))
    ReportFactory(assignment=assignment(2), progress_summary="=1+1", problems="-无", submitted_at=at(2021, 3, 5))
    ReportFactory(
        assignment=assignment(8, "yinzhou"),
        percent_complete=40,
        progress_summary="按时填报",
        submitted_at=at(2021, 3, 20),
    )
    ReportFactory(
        assignment=assignment(9, "yinzhou"),
        percent_complete=20,
        progress_summary="迟交的进展",
        submitted_at=at(2021, 4, 2),
    )
    return plan_2021


def test_every_kind_of_cell_keeps_its_look(reported):
    ws = book(reported, 1, now=at(2021, 7, 15))["推进情况"]
    rows = list(ws.iter_rows())

    title, subtitle = rows[0][0], rows[1][0]
    assert (title.font.b, title.font.sz, title.alignment.horizontal, title.border.left.style) == (
        True,
        16,
        "center",
        None,
    )
    assert (subtitle.font.name, subtitle.alignment.horizontal, subtitle.border.left.style) == ("宋体", "right", None)
    for cell in rows[2]:  # the header
        assert (cell.font.name, cell.font.b, cell.fill.fgColor.rgb) == ("宋体", True, "00DCE6F1")
        assert (cell.alignment.horizontal, cell.border.bottom.style) == ("center", "thin")
    section = rows[3][0]
    assert (section.font.b, section.fill.fgColor.rgb, section.alignment.vertical) == (True, "00F2F2F2", "center")
    assert section.alignment.horizontal is None

    tasks = [row for row in rows[3:] if isinstance(row[0].value, int)]
    assert len(tasks) == 21
    for row in tasks:
        assert all((c.font.name, c.font.sz, c.font.b) == ("宋体", 10, False) for c in row)
        assert all(c.border.left.style == "thin" and c.border.left.color.rgb == "00808080" for c in row)
        assert [c.alignment.horizontal for c in row] == [
            "center", None, "center", None, "center", None, "center", "center", None, None
        ]  # fmt: skip
        assert all(row[i].alignment.wrap_text for i in (1, 3, 5, 8, 9))
        assert (row[4].number_format, row[6].number_format) == ('yyyy"年"m"月"d"日"', "0%")
        assert row[7].fill.fgColor.rgb == FILLS[row[7].value]  # each light its own fill
        assert [c.fill.fill_type for i, c in enumerate(row) if i != 7] == [None] * 9
    assert {row[7].value for row in tasks} >= {"已办结", "滞后"}

    # Only the texts that start like a formula are marked as text; the same style elsewhere is not.
    marked = [(row[0].value, c.column_letter) for row in tasks for c in row if c.quotePrefix]
    assert marked == [(2, "F"), (2, "I")]
    assert tasks[1][5].value == "=1+1" and tasks[1][5].data_type == "s"


def test_the_summary_keeps_its_look(reported):
    ws = book(reported, 1, now=at(2021, 7, 15))["汇总"]
    rows = list(ws.iter_rows())
    first = rows[3]  # 一、… under the header
    total = next(row for row in rows if row[0].value == "合计")

    assert first[0].font.name != "宋体" and not first[0].font.b  # the spreadsheet's default font, as before
    assert first[1].alignment.horizontal == "center" and first[1].border.left.style == "thin"
    assert (total[0].font.name, total[0].font.b) == ("宋体", True)


def test_late_reports_are_marked_in_the_whole_table_and_in_one_departments(reported):
    whole = values(book(reported, 1, now=at(2021, 7, 15)))["推进情况"]
    item = {row[0]: row for row in whole if isinstance(row[0], int)}
    yinzhou = Department.objects.get(code="yinzhou")
    own = values(book(reported, 1, now=at(2021, 7, 15), department=yinzhou))["推进情况-鄞州"]
    own_item = {row[0]: row for row in own if isinstance(row[0], int)}

    assert "【鄞州 20% 补报】迟交的进展" in item[9][5]
    assert "【鄞州 40%】按时填报" in item[8][5]
    assert own_item[9][5] == "【补报】迟交的进展"  # one part: the mark alone
    assert own_item[8][5] == "按时填报"
    assert item[2][5] == "=1+1"  # a single part is not labelled


def test_a_finalised_table_shows_what_its_draft_showed_when_it_was_finalised(reported):
    draft = values(book(reported, 1, now=at(2021, 7, 10, 9)))
    with time_machine.travel(at(2021, 7, 10, 9), tick=False):
        call_command("finalise_quarter", "--year", "2021", "--quarter", "1", stdout=io.StringIO())
    final = values(book(reported, 1, now=at(2021, 8, 1)))

    for sheet in draft:
        assert final[sheet][2:] == draft[sheet][2:]  # every cell below the title and subtitle rows
    assert final["推进情况"][0][0] == draft["推进情况"][0][0].removesuffix("（草稿）")


def test_workbooks_written_one_after_another_each_keep_their_styles(reported):
    yinzhou = Department.objects.get(code="yinzhou")
    book(reported, 1, now=at(2021, 7, 15), department=yinzhou)  # registers its styles in its own workbook
    ws = book(reported, 2, now=at(2021, 7, 15))["推进情况"]
    lights = [row[7] for row in ws.iter_rows(min_row=4) if isinstance(row[0].value, int)]

    assert all(cell.fill.fgColor.rgb == FILLS[cell.value] for cell in lights)
    assert ws.cell(3, 1).font.b and ws.cell(3, 1).fill.fgColor.rgb == "00DCE6F1"
