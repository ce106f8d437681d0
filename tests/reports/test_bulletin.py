"""督查通报: the Word document's figures are the dashboard's on the same day; ranking by results only."""

import datetime
import io
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from progress.selectors import OnTime, assignment_figures
from reports.bulletin import bulletin, percent_text, rate_text, write_bulletin
from reports.dashboard import dashboard
from tasks.models import Assignment, Task
from tests.factories import AssignmentFactory, ReportFactory, ReviewFactory, TaskFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def reported(plan_2021):
    """鄞州 reports a problem on item 8 in March; the office closes item 1 in March; item 2 is due in the quarter."""
    staff = UserFactory(username="staff-yinzhou")
    ReportFactory(
        assignment=Assignment.objects.get(task__number=8, department__code="yinzhou"),
        percent_complete=40,
        progress_summary="已组建应急救援队伍",
        problems="社会力量参与不足",
        submitted_by=staff,
        submitted_at=at(2021, 3, 20, 9),
    )
    item1 = Assignment.objects.get(task__number=1)
    Task.objects.filter(pk=item1.task_id).update(deadline=datetime.date(2021, 3, 15))
    claim = ReportFactory(assignment=item1, status="completed", percent_complete=100, submitted_at=at(2021, 3, 1, 9))
    ReviewFactory(report=claim, reviewed_at=at(2021, 3, 2, 9))
    Task.objects.filter(number=2, section__ordinal=1).update(deadline=datetime.date(2021, 3, 20))
    return plan_2021


def document_of(item) -> docx.Document:
    stream = io.BytesIO()
    write_bulletin(item, stream)
    stream.seek(0)
    return docx.Document(stream)


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


@time_machine.travel(at(2021, 7, 10, 10), tick=False)
def test_the_bulletins_figures_are_the_dashboards_on_the_same_day(reported):
    document = document_of(bulletin(workplan=reported, quarter=1))
    board = dashboard(workplan=reported, tasks=Task.objects.all(), as_of=datetime.date(2021, 3, 31))
    overall, sections, departments, overdue = document.tables
    text = "\n".join(p.text for p in document.paragraphs)

    assert "关于2021年第一季度《2021年宁波市人防工作要点》推进情况的督查通报" in text
    assert "截至2021年3月31日" in text
    assert cells(overall)[0][:2] == [str(board.tasks), percent_text(board.percent)]
    assert cells(sections) == [
        [bar.label, str(bar.count), percent_text(bar.percent), str(bar.lights["overdue"]), str(bar.lights["behind"])]
        for bar in board.sections
    ]
    by_label = {bar.label: bar for bar in board.departments}
    rows = cells(departments)
    assert len(rows) == len(board.departments)
    for _rank, label, count, rate, percent, *_lights in rows:
        bar = by_label[label]
        assert (count, rate, percent) == (
            str(bar.count),
            rate_text(bar.on_time_completion_rate),
            percent_text(bar.percent),
        )
    assert [row[1] for row in cells(overdue)] == [row.title for row in board.overdue]
    assert "鄞州（8." in text and "社会力量参与不足" in text


@time_machine.travel(at(2021, 7, 10, 10), tick=False)
def test_departments_are_ranked_by_results_only(reported):
    item = bulletin(workplan=reported, quarter=1)
    rates = [bar.on_time_completion_rate for bar in item.ranking]
    known = [rate for rate in rates if rate is not None]
    assert known == sorted(known, reverse=True) and known  # the office closed item 1 on time: 100 %
    assert rates[: len(known)] == known  # departments with nothing due yet ("—") come after


def test_on_time_completion_counts_only_what_is_due_and_closed_by_its_deadline(db):
    on_time, late, open_, later = (
        AssignmentFactory(task=TaskFactory(deadline=datetime.date(2021, 3, 10))) for _ in range(4)
    )
    Task.objects.filter(pk=later.task_id).update(deadline=datetime.date(2021, 6, 30))
    for assignment, day in ((on_time, 9), (late, 12)):
        report = ReportFactory(
            assignment=assignment, status="completed", percent_complete=100, submitted_at=at(2021, 3, 1, 9)
        )
        ReviewFactory(report=report, reviewed_at=at(2021, 3, day, 23, 30))

    def rate_on(day):
        rate = OnTime(day)
        for progress in assignment_figures(Assignment.objects.all(), as_of=day).values():
            rate.add(progress.deadline, progress.closed_on)
        return rate

    end_of_march = rate_on(datetime.date(2021, 3, 31))
    assert (end_of_march.due, end_of_march.on_time) == (3, 1)  # on time; late, open; the June one not yet due
    assert rate_on(datetime.date(2021, 3, 10)).rate is None  # not yet passed: "—"


def test_the_command_and_the_download_give_the_same_document(reported, client, tmp_path):
    path = tmp_path / "通报.docx"
    call_command("export_bulletin", "--year", "2021", "--quarter", "1", "--output", str(path), stdout=io.StringIO())
    client.force_login(UserFactory(role="leader"))
    query = {"bulletin-workplan": reported.pk, "bulletin-quarter": 1}
    response = client.get(reverse("bulletin_download"), query)
    assert response.status_code == 200
    from_web = docx.Document(io.BytesIO(response.content))
    from_command = docx.Document(path)
    assert [cells(t) for t in from_web.tables] == [cells(t) for t in from_command.tables]


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("staff", 403), ("leader", 200), ("office", 200)])
def test_who_may_download_the_bulletin(reported, client, role, status):
    if role:
        client.force_login(UserFactory(role=role))
    query = {"bulletin-workplan": reported.pk, "bulletin-quarter": 1}
    assert client.get(reverse("bulletin_download"), query).status_code == status


def test_the_bulletins_quarter_picker_names_each_quarter_with_its_year(plan_2021, client):
    """DESIGN.md: 2021年第二季度, never a bare 第二季度, in the 督查通报 picker like in the table's beside it."""
    client.force_login(UserFactory(role="leader"))
    picker = client.get(reverse("report_export")).context["bulletin"]["quarter"]
    assert [label for _, label in picker.field.choices] == [f"2021年第{n}季度" for n in "一二三四"]
    assert '<option value="2">2021年第二季度</option>' in str(picker)
