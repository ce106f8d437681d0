"""上传填报表 and 下载填报表 pages: who may, preview before writing, confirm files the reports."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from progress.fill_in import COLUMN_OF, FILL_SHEET, HEADER_ROW
from progress.models import ProgressReport

MARCH = datetime.datetime(2021, 3, 10, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _in_march(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the kept upload between preview and confirmation
    with time_machine.travel(MARCH, tick=False):
        yield


def download(client, actors, **extra):
    query = {"fill_in-workplan": actors.task.section.workplan.pk, "fill_in-quarter": 1, **extra}
    return client.get(reverse("fill_in_download"), query)


def filled(response, **values) -> io.BytesIO:
    workbook = load_workbook(io.BytesIO(response.content))
    for key, value in values.items():
        workbook[FILL_SHEET].cell(HEADER_ROW + 1, COLUMN_OF[key] + 1, value)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    stream.name = "填报表.xlsx"
    return stream


@pytest.mark.parametrize(
    ("actor", "status"), [(None, 302), ("outsider", 200), ("staff", 200), ("leader", 403), ("office", 200)]
)
def test_who_may_download_a_fill_in_workbook(actors, login, actor, status):
    response = download(login(getattr(actors, actor) if actor else None), actors)
    assert response.status_code == status


def test_staff_get_their_own_departments_workbook_whatever_they_ask_for(actors, login):
    response = download(login(actors.outsider), actors, **{"fill_in-department": actors.assignment.department.pk})
    sheet = load_workbook(io.BytesIO(response.content))[FILL_SHEET]
    assert "乙区" in sheet["A2"].value
    assert sheet.cell(HEADER_ROW + 1, COLUMN_OF["task"] + 1).value == "乙区的事"


def test_the_office_downloads_every_department_as_one_zip(actors, login):
    response = download(login(actors.office), actors)
    assert response["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == 3


@pytest.mark.parametrize(("actor", "status"), [(None, 302), ("leader", 403), ("staff", 200), ("office", 200)])
def test_who_may_open_the_upload_page(actors, login, actor, status):
    assert login(getattr(actors, actor) if actor else None).get(reverse("fill_in_upload")).status_code == status


def test_upload_previews_first_and_files_only_when_confirmed(actors, login, settings):
    client = login(actors.staff)
    stream = filled(download(client, actors), status="推进中", percent=45, progress_summary="网页上传")

    preview = client.post(reverse("fill_in_upload"), {"file": stream})

    assert preview.status_code == 200
    assert "将提交 1 份进展报告" in preview.content.decode()
    assert " · 2021年第一季度 · " in preview.content.decode()  # the workbook's quarter, with its year
    assert not ProgressReport.objects.exists()
    confirmed = client.post(reverse("fill_in_upload"), {"token": preview.context["token"]}, follow=True)
    report = ProgressReport.objects.get()
    assert (report.progress_summary, report.source) == ("网页上传", "workbook")
    assert "已提交 1 份进展报告" in confirmed.content.decode()
    again = client.post(reverse("fill_in_upload"), {"token": preview.context["token"]}, follow=True)
    assert "预览已过期" in again.content.decode() and ProgressReport.objects.count() == 1
    assert not list((settings.MEDIA_ROOT / "fill-in").iterdir())  # the kept file is gone once filed


def test_problems_are_listed_and_nothing_can_be_confirmed(actors, login):
    client = login(actors.staff)
    stream = filled(download(client, actors), status="推进中", percent=150, progress_summary="超了")
    response = client.post(reverse("fill_in_upload"), {"file": stream})
    body = response.content.decode()
    assert "发现 1 处问题，未写入任何内容" in body and "完成进度应为 0 到 100 的整数" in body
    assert response.context["token"] is None and "确认提交" not in body


def test_a_paragraph_over_the_limit_is_a_problem_named_by_its_column(actors, login):
    """Found by trying: a 200,000-character 进展情况 was cut to 32,767 in the workbook, and sending that workbook
    back unchanged would have filed the cut copy as a new report."""
    client = login(actors.staff)
    stream = filled(download(client, actors), status="推进中", percent=50, progress_summary="进" * 5001)
    response = client.post(reverse("fill_in_upload"), {"file": stream})
    body = response.content.decode()
    assert "不能超过 5000 字（现有 5001 字）" in body and "进展情况" in body
    assert response.context["token"] is None and ProgressReport.objects.count() == 0


def test_a_token_from_another_user_is_refused(actors, login, client):
    staff = login(actors.staff)
    stream = filled(download(staff, actors), status="推进中", percent=45, progress_summary="网页上传")
    token = staff.post(reverse("fill_in_upload"), {"file": stream}).context["token"]
    office = login(actors.office)
    assert "预览已过期" in office.post(reverse("fill_in_upload"), {"token": token}, follow=True).content.decode()
    assert not ProgressReport.objects.exists()


def test_a_file_not_named_xlsx_is_a_form_error(actors, login):
    upload = io.BytesIO(b"a,b\n")
    upload.name = "填报表.csv"
    response = login(actors.staff).post(reverse("fill_in_upload"), {"file": upload})
    assert response.status_code == 400 and "请上传 .xlsx 文件" in response.content.decode()


def test_a_preview_nobody_confirmed_is_removed_after_its_token_expired(actors, login, settings):
    client = login(actors.staff)
    response = download(client, actors)
    client.post(reverse("fill_in_upload"), {"file": filled(response, status="推进中", percent=1, progress_summary="a")})
    with time_machine.travel(MARCH + datetime.timedelta(hours=2), tick=False):
        client.post(
            reverse("fill_in_upload"), {"file": filled(response, status="推进中", percent=2, progress_summary="b")}
        )
    assert len(list((settings.MEDIA_ROOT / "fill-in").iterdir())) == 1


def test_the_task_page_marks_a_late_report_filed_by_the_office_from_a_workbook(actors, login):
    office = login(actors.office)
    response = download(office, actors, **{"fill_in-department": actors.assignment.department.pk})
    stream = filled(response, status="推进中", percent=45, progress_summary="代录")
    with time_machine.travel(datetime.datetime(2021, 4, 8, 10, tzinfo=datetime.UTC), tick=False):
        office = login(actors.office)  # a month on: signed in again
        token = office.post(reverse("fill_in_upload"), {"file": stream}).context["token"]
        office.post(reverse("fill_in_upload"), {"token": token})
    body = office.get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    assert "补报" in body and "督查办代填" in body and "填报表导入" in body
