"""The quarterly progress table: layout, as-of behaviour, safety, and the two ways to get it."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from departments.models import Department
from reports.exports import quarterly_table, write_quarterly_workbook
from tasks.models import Assignment, Task
from tests.conftest import SEED_2021
from tests.factories import ReportFactory, ReviewFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def workbook_for(plan, quarter, department=None, now=None):
    stream = io.BytesIO()
    write_quarterly_workbook(quarterly_table(workplan=plan, quarter=quarter, department=department, now=now), stream)
    stream.seek(0)
    return openpyxl.load_workbook(stream)


def yinzhou_item8():
    return Assignment.objects.get(task__number=8, department__code="yinzhou")


@pytest.fixture
def reported(plan_2021):
    """鄞州 reports on item 8 in March, again in April for the second quarter; the office closes item 1 in March."""
    staff = UserFactory(username="staff-yinzhou")
    ReportFactory(
        assignment=yinzhou_item8(),
        percent_complete=40,
        progress_summary="已组建应急救援队伍",
        problems="社会力量参与不足",
        next_steps="二季度开展点验",
        submitted_by=staff,
        submitted_at=at(2021, 3, 20, 9),
    )
    ReportFactory(
        assignment=yinzhou_item8(),
        percent_complete=70,
        progress_summary="四月完成首次点验",
        quarter=2,
        submitted_by=staff,
        submitted_at=at(2021, 4, 10, 9),
    )
    item1 = Assignment.objects.get(task__number=1)
    claim = ReportFactory(assignment=item1, status="completed", percent_complete=100, submitted_at=at(2021, 3, 1, 9))
    ReviewFactory(report=claim, reviewed_at=at(2021, 3, 2, 9))
    return plan_2021


def test_the_first_quarter_table_in_july(reported):
    book = workbook_for(reported, 1, now=at(2021, 7, 15, 10, 30))
    ws = book["推进情况"]
    rows = list(ws.iter_rows(values_only=True))

    assert book.sheetnames == ["推进情况", "汇总"]
    assert rows[0][0] == "2021年宁波市人防工作要点 2021年第一季度推进情况表（草稿）"
    assert rows[1][0] == "截至 2021年3月31日    草稿，导出时间 2021-07-15 10:30"
    assert list(rows[2]) == [
        "序号",
        "工作任务",
        "牵头单位",
        "责任单位",
        "完成时限",
        "进展情况",
        "完成进度",
        "状态",
        "存在问题",
        "下步计划",
    ]
    sections = [r[0] for r in rows[3:] if isinstance(r[0], str)]
    assert sections == [
        "一、坚持和加强党的全面领导",
        "二、坚持战斗力标准,深化军事斗争人防准备",
        "三、坚持融合式发展,深化人民防空融入城市发展",
        "四、坚持高质量要求,深化人民防空基础建设",
    ]
    tasks = [r for r in rows[3:] if isinstance(r[0], int)]
    assert [r[0] for r in tasks] == list(range(1, 22))
    assert [r[1] for r in tasks] == list(
        Task.objects.order_by("section__ordinal", "number").values_list("title", flat=True)
    )
    item8 = tasks[7]
    assert "【鄞州 40%】已组建应急救援队伍" in item8[5]
    assert "四月" not in item8[5]  # a second-quarter report
    assert item8[8] == "【鄞州 40%】社会力量参与不足"
    assert item8[2] == "市人防办" and "鄞州" in item8[3]
    assert item8[6] == pytest.approx(40 / 11 / 100)
    assert tasks[0][7] == "已办结"
    assert tasks[5][4].date() == datetime.date(2021, 10, 31)


def test_cell_formats_merges_and_print_settings(reported):
    ws = workbook_for(reported, 1, now=at(2021, 7, 15))["推进情况"]
    merged = {str(r) for r in ws.merged_cells.ranges}

    assert {"A1:J1", "A2:J2", "A4:J4"} <= merged
    assert len([r for r in merged if r not in {"A1:J1", "A2:J2"}]) == 4  # one per section
    first_task = 5
    assert ws.cell(first_task, 7).number_format == "0%"
    assert ws.cell(first_task, 8).value == "已办结"
    assert ws.cell(first_task, 8).fill.fgColor.rgb == "00D9D9D9"  # grey: closed
    assert ws.cell(first_task + 1, 8).value == "滞后"  # 0 % at a quarter of the year gone
    assert ws.cell(first_task + 1, 8).fill.fgColor.rgb == "00FCE49A"  # yellow
    assert ws.cell(4, 1).font.b
    assert ws.cell(first_task, 2).alignment.wrap_text
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == f"A3:J{ws.max_row}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    assert "&P" in ws.oddFooter.center.text
    assert ws.column_dimensions["B"].width >= 20
    item5 = next(r for r in ws.iter_rows(min_row=4) if r[0].value == 5)[0].row
    assert ws.row_dimensions[item5].height > ws.row_dimensions[first_task].height  # ten districts wrap


def test_the_summary_counts_lights_by_section_and_department(reported):
    rows = list(workbook_for(reported, 1, now=at(2021, 7, 15))["汇总"].iter_rows(values_only=True))

    assert rows[2] == ("部分", "任务数", "已办结", "序时推进", "临期", "滞后", "逾期", None)
    assert rows[3][:7] == ("一、坚持和加强党的全面领导", 3, 1, 0, 0, 2, 0)
    assert rows[7][:2] == ("合计", 21)
    department_rows = {r[0]: r for r in rows[9:] if r[0]}
    assert department_rows["鄞州"][1] == 4
    assert department_rows["市人防办"][:3] == ("市人防办", 21, 1)
    assert department_rows["合计"][1] == 71
    assert department_rows["合计"][7] == "—"  # 按期完成率: no deadline passed by 31 March


def test_one_department_only(reported):
    yinzhou = Department.objects.get(code="yinzhou")
    book = workbook_for(reported, 1, department=yinzhou, now=at(2021, 7, 15))
    tasks = [r for r in book.worksheets[0].iter_rows(values_only=True) if isinstance(r[0], int)]

    assert book.sheetnames == ["推进情况-鄞州", "汇总"]
    assert [r[0] for r in tasks] == [5, 8, 9, 10]
    assert tasks[1][5] == "已组建应急救援队伍"
    assert tasks[1][6] == pytest.approx(0.4)


def test_a_short_text_on_two_lines_gets_a_row_two_lines_high(plan_2021):
    # Found in review: a row's height skipped any text short enough for one line, line breaks or not.
    assignment = Task.objects.get(number=1).assignments.first()
    ReportFactory(assignment=assignment, progress_summary="已完成。\n下步巩固。", submitted_at=at(2021, 3, 20))
    department = assignment.department

    ws = workbook_for(plan_2021, 1, department=department, now=at(2021, 7, 1)).worksheets[0]
    row = next(r for r in ws.iter_rows() if r[0].value == 1)

    assert row[5].value == "已完成。\n下步巩固。"
    assert ws.row_dimensions[row[0].row].height == 2 * 14 + 4  # two lines of the 10-point body


def test_a_very_long_text_gets_the_tallest_row_excel_allows_and_a_department_table_names_it(plan_2021):
    """Found by trying: 4,000 characters of 进展情况 made a row 2,860 points high (Excel's limit is 409), and a
    one-department table named its department in the file name only."""
    assignment = Task.objects.get(number=1).assignments.first()
    ReportFactory(assignment=assignment, progress_summary="推进" * 2000, submitted_at=at(2021, 3, 20))

    ws = workbook_for(plan_2021, 1, department=assignment.department, now=at(2021, 7, 1)).worksheets[0]
    row = next(r for r in ws.iter_rows() if r[0].value == 1)

    assert ws.row_dimensions[row[0].row].height == 409
    assert f"（{assignment.department.display_name}）（草稿）" in ws["A1"].value


def test_text_that_looks_like_a_formula_stays_text(plan_2021):
    ReportFactory(
        assignment=Assignment.objects.get(task__number=1),
        progress_summary='=HYPERLINK("http://example.com","x")',
        problems="+1 -2",
        next_steps="@SUM(A1)",
        submitted_at=at(2021, 3, 20),
    )

    ws = workbook_for(plan_2021, 1, now=at(2021, 7, 1))["推进情况"]
    row = next(r for r in ws.iter_rows() if r[0].value == 1)

    assert [row[5].value, row[8].value, row[9].value] == ['=HYPERLINK("http://example.com","x")', "+1 -2", "@SUM(A1)"]
    for cell in (row[5], row[8], row[9]):
        assert cell.data_type == "s"
        assert cell.quotePrefix


def test_characters_excel_forbids_are_removed(plan_2021):
    Task.objects.filter(number=2).update(title="坚定不移\x0b推进全面从严治党")

    ws = workbook_for(plan_2021, 1, now=at(2021, 7, 1))["推进情况"]

    assert ws.cell(6, 2).value == "坚定不移推进全面从严治党"


def test_a_department_with_a_slash_in_its_name(plan_2021):
    odd = Department.objects.create(code="odd", name="东钱湖/高新区联合办", short_name="湖/高", level="zone")
    Assignment.objects.create(task=Task.objects.get(number=3), department=odd)

    table = quarterly_table(workplan=plan_2021, quarter=1, department=odd, now=at(2021, 7, 1))
    book = workbook_for(plan_2021, 1, department=odd, now=at(2021, 7, 1))

    assert table.filename == "2021年宁波市人防工作要点2021年第一季度推进情况（草稿）（湖_高）.xlsx"
    assert book.sheetnames == ["推进情况-湖_高", "汇总"]


def test_the_download_and_the_command_give_the_same_table(reported, client, tmp_path):
    client.force_login(UserFactory(role="leader"))
    with time_machine.travel(at(2021, 7, 15, 10, 30), tick=False):
        response = client.get(reverse("report_export"), {"workplan": reported.pk, "quarter": 1})
        output = tmp_path / "q1.xlsx"
        call_command(
            "export_quarterly_report", "--year", "2021", "--quarter", "1", "--output", str(output), stdout=io.StringIO()
        )

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''2021%E5%B9%B4%E5%AE%81%E6%B3%A2%E5%B8%82%E4%BA%BA%E9%98%B2%E5%B7%A5%E4%BD%9C"
        "%E8%A6%81%E7%82%B92021%E5%B9%B4%E7%AC%AC%E4%B8%80%E5%AD%A3%E5%BA%A6%E6%8E%A8%E8%BF%9B%E6%83%85%E5%86%B5"
        "%EF%BC%88%E8%8D%89%E7%A8%BF%EF%BC%89.xlsx"
    )
    from_web = openpyxl.load_workbook(io.BytesIO(response.content))
    from_command = openpyxl.load_workbook(output)
    for name in from_web.sheetnames:
        assert list(from_web[name].values) == list(from_command[name].values)


def test_staff_cannot_download_and_a_bad_quarter_is_a_form_error(plan_2021, client):
    client.force_login(UserFactory(role="staff", department=Department.objects.get(code="yinzhou")))
    assert client.get(reverse("report_export")).status_code == 403

    client.force_login(UserFactory(role="office"))
    response = client.get(reverse("report_export"), {"workplan": plan_2021.pk, "quarter": 5})
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()


def test_the_command_refuses_an_unknown_year_or_department(plan_2021):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="没有 2030 年的工作要点"):
        call_command("export_quarterly_report", "--year", "2030", "--quarter", "1")
    with pytest.raises(CommandError, match="没有代码为 nowhere 的单位"):
        call_command("export_quarterly_report", "--year", "2021", "--quarter", "1", "--department", "nowhere")


def test_seed_is_the_document_the_table_reads():
    assert re.search(r"21\.努力打造高素质专业化队伍", SEED_2021.read_text(encoding="utf-8"))


def test_the_export_reads_a_fixed_number_of_queries_however_many_reports(plan_2021, django_assert_max_num_queries):
    for assignment in Assignment.objects.all():
        ReportFactory(assignment=assignment, quarter=2, submitted_at=at(2021, 7, 3))  # late: each marked 补报
    table = quarterly_table(workplan=plan_2021, quarter=2, now=at(2021, 7, 15))

    # Sections, extensions, departments, every assignment's figures, the tasks, the summary's departments:
    # not per section, task or report.
    with django_assert_max_num_queries(6):
        write_quarterly_workbook(table, io.BytesIO())
