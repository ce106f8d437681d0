"""Fill-in workbooks out and back in: round trips (openpyxl, LibreOffice) and every bad workbook the issue names."""

import datetime
import io
import os
import shutil
import subprocess
import uuid
import zipfile

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from progress.fill_in import COLUMN_OF, FILL_SHEET, HEADER_ROW, META_SHEET, fill_in_apply, fill_in_read
from progress.models import ProgressReport
from reports.exports import quarterly_table
from reports.fill_in import fill_in_filename, fill_in_zip_filename, write_fill_in_workbook, write_fill_in_zip
from tests.factories import AssignmentFactory, ReportFactory, ReviewFactory, TaskFactory

MARCH = datetime.datetime(2021, 3, 10, 10, tzinfo=datetime.UTC)
FIRST = HEADER_ROW + 1  # the first assignment's row


@pytest.fixture(autouse=True)
def _in_march():
    with time_machine.travel(MARCH, tick=False):
        yield


def exported(actors, department=None, quarter=1) -> Workbook:
    stream = io.BytesIO()
    department = department or actors.assignment.department
    write_fill_in_workbook(workplan=actors.task.section.workplan, quarter=quarter, department=department, stream=stream)
    stream.seek(0)
    return load_workbook(stream)


def saved(workbook: Workbook) -> io.BytesIO:
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def fill(workbook, row=FIRST, **values):
    sheet = workbook[FILL_SHEET]
    for key, value in values.items():
        sheet.cell(row, COLUMN_OF[key] + 1, value)
    return workbook


def problems(upload) -> list[str]:
    return [str(p) for p in upload.problems]


def test_the_workbook_has_the_departments_rows_locked_ids_validation_and_instructions(actors):
    ReportFactory(assignment=actors.assignment, percent_complete=30, progress_summary="已选址")
    workbook = exported(actors)
    sheet = workbook[FILL_SHEET]
    assert workbook.sheetnames == [FILL_SHEET, "填写说明", META_SHEET]
    assert workbook[META_SHEET].sheet_state == "hidden"
    assert [c.value for c in sheet[HEADER_ROW]][:3] == ["编号", "序号", "工作任务"]
    assert sheet.cell(FIRST, COLUMN_OF["task"] + 1).value == "推进指挥所建设"
    assert sheet.cell(FIRST + 1, 1).value is None  # only 甲区's one assignment
    # what was reported is pre-filled, so an untouched row is "unchanged"
    assert sheet.cell(FIRST, COLUMN_OF["percent"] + 1).value == 30
    assert sheet.cell(FIRST, COLUMN_OF["progress_summary"] + 1).value == "已选址"
    assert sheet.protection.sheet
    assert sheet.cell(FIRST, COLUMN_OF["token"] + 1).protection.locked
    assert not sheet.cell(FIRST, COLUMN_OF["status"] + 1).protection.locked
    validations = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    assert validations["list"].formula1 == '"未启动,推进中,已完成"'
    assert (validations["whole"].formula1, validations["whole"].formula2) == ("0", "100")
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4


def test_round_trip_files_changed_rows_and_the_quarterly_table_shows_them(actors):
    workbook = fill(exported(actors), status="推进中", percent=40, progress_summary="已完成选址", problems="资金未到位")
    upload = fill_in_read(saved(workbook), user=actors.staff)
    assert problems(upload) == []
    assert [row.row for row in upload.changed] == [FIRST]

    fill_in_apply(upload, user=actors.staff)

    report = ProgressReport.objects.get()
    assert (report.assignment, report.quarter, report.percent_complete) == (actors.assignment, 1, 40)
    assert (report.source, report.on_behalf, report.submitted_by) == ("workbook", False, actors.staff)
    table = quarterly_table(workplan=actors.task.section.workplan, quarter=1)
    lines = [line for _section, lines in table.sections() for line in lines]
    line = next(line for line in lines if line.title == "推进指挥所建设")
    assert "已完成选址" in line.progress and "资金未到位" in line.problems


def test_two_confirmations_of_one_preview_file_each_row_once(actors):
    """Two tabs (or a double click) confirm the same preview; both read the file before either wrote."""
    workbook = fill(exported(actors), status="推进中", percent=45, progress_summary="点了两次")
    first, second = (fill_in_read(saved(workbook), user=actors.staff) for _ in range(2))
    batch = uuid.uuid4()
    fill_in_apply(first, user=actors.staff, batch=batch)
    fill_in_apply(second, user=actors.staff, batch=batch)
    assert ProgressReport.objects.count() == 1


def test_an_unchanged_workbook_files_nothing(actors):
    ReportFactory(assignment=actors.assignment, percent_complete=30, progress_summary="已选址\n正在设计")
    upload = fill_in_read(saved(exported(actors)), user=actors.staff)
    assert (upload.changed, upload.unchanged, upload.problems) == ([], 1, [])


def test_a_row_whose_cells_were_cleared_files_nothing(actors):
    workbook = fill(exported(actors), status=None, percent=None, progress_summary=None)
    upload = fill_in_read(saved(workbook), user=actors.staff)
    assert (upload.changed, upload.unchanged, upload.problems) == ([], 1, [])


def test_the_offices_upload_is_filed_on_behalf_of_the_department(actors):
    workbook = fill(exported(actors), status="推进中", percent=20, progress_summary="督查办代录")
    upload = fill_in_read(saved(workbook), user=actors.office)
    fill_in_apply(upload, user=actors.office)
    report = ProgressReport.objects.get()
    assert (report.submitted_by, report.on_behalf, report.assignment) == (actors.office, True, actors.assignment)


def test_a_late_upload_is_a_late_report_for_the_workbooks_quarter(actors):
    workbook = fill(exported(actors), status="推进中", percent=20, progress_summary="补报一季度")
    with time_machine.travel(datetime.datetime(2021, 4, 8, 10, tzinfo=datetime.UTC), tick=False):
        fill_in_apply(fill_in_read(saved(workbook), user=actors.staff), user=actors.staff)
    report = ProgressReport.objects.get()
    assert report.quarter == 1 and report.is_late


def soffice_resave(source: bytes, tmp_path) -> io.BytesIO:
    """The file as LibreOffice writes it back: opened and saved again as .xlsx, headless."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required in CI (.ci/run installs libreoffice-calc-nogui)")
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-calc-nogui to run this test")
    (tmp_path / "in").mkdir(parents=True)
    (tmp_path / "in" / "filled.xlsx").write_bytes(source)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(tmp_path / "in" / "filled.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return io.BytesIO((tmp_path / "out" / "filled.xlsx").read_bytes())


def test_a_file_resaved_by_libreoffice_round_trips(actors, tmp_path):
    ReportFactory(assignment=actors.other_assignment)  # another department's report is not in this file
    workbook = fill(exported(actors), status="已完成", percent=100, progress_summary="指挥所已建成\r\n待验收")
    resaved = soffice_resave(saved(workbook).getvalue(), tmp_path)

    upload = fill_in_read(resaved, user=actors.staff)

    assert problems(upload) == []
    fill_in_apply(upload, user=actors.staff)
    report = ProgressReport.objects.get(assignment=actors.assignment)
    assert (report.status, report.percent_complete, report.progress_summary) == (
        "completed",
        100,
        "指挥所已建成\n待验收",
    )
    again = fill_in_read(soffice_resave(saved(workbook).getvalue(), tmp_path / "again"), user=actors.staff)
    assert (again.changed, again.unchanged) == ([], 1)


# --- bad workbooks: a clear message naming row and column, and nothing written -----------------------------------


def refused(actors, stream, user=None) -> list[str]:
    upload = fill_in_read(stream, user=user or actors.staff)
    assert not upload.ok
    with pytest.raises(ValueError):
        fill_in_apply(upload, user=user or actors.staff)
    assert not ProgressReport.objects.exists()
    return problems(upload)


def test_a_workbook_from_elsewhere_is_the_wrong_template(actors):
    workbook = Workbook()
    workbook.active.append(["编号", "工作任务"])
    assert refused(actors, saved(workbook)) == ["不是本系统导出的填报表（缺少模板信息或已被修改），请重新下载填报表。"]


def test_moved_columns_are_the_wrong_template(actors):
    workbook = exported(actors)
    workbook[FILL_SHEET].insert_cols(3)
    assert "表头与模板不符" in refused(actors, saved(workbook))[0]


def test_an_edited_id_is_refused(actors):
    workbook = fill(exported(actors), token="9999.0:forged", progress_summary="改了")
    assert refused(actors, saved(workbook)) == [f"第 {FIRST} 行“编号”列：编号被修改或无法识别，请勿改动编号列。"]


def test_another_departments_row_is_refused(actors):
    theirs = exported(actors, department=actors.other_assignment.department)[FILL_SHEET].cell(FIRST, 1).value
    workbook = fill(exported(actors), row=FIRST + 1, token=theirs, status="推进中", percent=5, progress_summary="x")
    assert refused(actors, saved(workbook)) == [f"第 {FIRST + 1} 行“编号”列：这是乙的事项，不属于本填报表。"]


def test_staff_cannot_upload_another_departments_workbook(actors):
    workbook = fill(exported(actors), status="推进中", percent=5, progress_summary="x")
    assert refused(actors, saved(workbook), user=actors.outsider) == ["这是甲的填报表，您只能上传本单位（乙）的。"]


def test_percent_out_of_range_completed_below_100_and_empty_required_cells(actors):
    second = AssignmentFactory(
        task=TaskFactory(section=actors.task.section, title="第二项"), department=actors.assignment.department
    )
    third = AssignmentFactory(
        task=TaskFactory(section=actors.task.section, title="第三项"), department=second.department
    )
    assert third
    workbook = exported(actors)
    fill(workbook, row=FIRST, status="推进中", percent=150, progress_summary="超了")
    fill(workbook, row=FIRST + 1, status="已完成", percent=80, progress_summary="差一点")
    fill(workbook, row=FIRST + 2, status="推进中", percent=10, progress_summary=None)
    assert refused(actors, saved(workbook)) == [
        f"第 {FIRST} 行“完成进度(%)”列：完成进度应为 0 到 100 的整数，填的是“150”。",
        f"第 {FIRST + 1} 行“完成进度(%)”列：已完成的事项完成进度应为100%。",
        f"第 {FIRST + 2} 行“进展情况”列：必填，请填写进展情况。",
    ]


def test_a_formula_in_any_cell_is_refused(actors):
    workbook = fill(exported(actors), status="推进中", percent=10, progress_summary="=cmd|' /C calc'!A0")
    assert refused(actors, saved(workbook)) == [f"第 {FIRST} 行“进展情况”列：单元格含公式，请改为直接填写文字或数字。"]


def test_a_closed_item_cannot_be_reported_again(actors):
    report = ReportFactory(assignment=actors.assignment, status="completed", percent_complete=100)
    ReviewFactory(report=report)
    workbook = fill(exported(actors), status="推进中", percent=90, progress_summary="又有变化")
    ProgressReport.objects.all().count()
    upload = fill_in_read(saved(workbook), user=actors.staff)
    assert problems(upload) == [f"第 {FIRST} 行：该事项已办结，不能再填报；请恢复原内容或删去此行。"]
    assert ProgressReport.objects.count() == 1


def test_ten_thousand_rows_are_refused(actors):
    workbook = exported(actors)
    sheet = workbook[FILL_SHEET]
    token = sheet.cell(FIRST, 1).value
    for row in range(FIRST + 1, FIRST + 10_000):
        sheet.cell(row, 1, token)
        sheet.cell(row, COLUMN_OF["progress_summary"] + 1, "复制")
    assert refused(actors, saved(workbook)) == ["行数超过 2000 行，不是本系统的填报表；请重新下载后填写。"]


def test_a_file_that_is_not_an_xlsx_is_refused(actors):
    message = "不是 xlsx 文件。请上传从本系统下载、填好后保存为 .xlsx 的填报表。"
    assert refused(actors, io.BytesIO(b"\xd0\xcf\x11\xe0 an old .xls")) == [message]
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "无法读取该文件" in refused(actors, broken)[0]


# --- commands ----------------------------------------------------------------------------------------------------


def test_export_and_import_commands(actors, tmp_path):
    path = tmp_path / "a.xlsx"
    call_command(
        "export_fill_in",
        "--year",
        "2021",
        "--quarter",
        "1",
        "--department",
        "a",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    workbook = fill(load_workbook(path), status="推进中", percent=35, progress_summary="命令行导入")
    workbook.save(path)

    out = io.StringIO()
    call_command("import_fill_in", str(path), "--user", "staff-a", "--dry-run", stdout=out)
    assert "试运行：将生成 1 份报告" in out.getvalue() and not ProgressReport.objects.exists()

    call_command("import_fill_in", str(path), "--user", "staff-a", stdout=out)
    assert ProgressReport.objects.get().progress_summary == "命令行导入"


def test_the_import_command_names_each_problem_and_exits_non_zero(actors, tmp_path):
    path = tmp_path / "bad.xlsx"
    fill(exported(actors), status="推进中", percent=150, progress_summary="x").save(path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处问题，未写入任何内容"):
        call_command("import_fill_in", str(path), "--user", "staff-a", stderr=err)
    assert f"第 {FIRST} 行“完成进度(%)”列" in err.getvalue()
    assert not ProgressReport.objects.exists()


def test_the_zip_has_one_workbook_per_department(actors):
    stream = io.BytesIO()
    count = write_fill_in_zip(workplan=actors.task.section.workplan, quarter=1, stream=stream)
    names = zipfile.ZipFile(stream).namelist()
    assert count == 3 and len(names) == 3
    assert any(name.endswith("第一季度填报表（甲）.xlsx") for name in names)


def test_the_workbook_and_its_file_names_give_the_quarter_with_its_year(actors):
    """DESIGN.md: a period is 2021年第一季度, never a bare 第一季度 (the office forwards these files by name)."""
    plan = actors.task.section.workplan
    period = f"{plan.year}年第一季度"
    assert period in fill_in_filename(plan, 1, actors.assignment.department)
    assert period in fill_in_zip_filename(plan, 1)
    assert period in exported(actors)[FILL_SHEET]["A1"].value
