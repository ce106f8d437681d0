"""The leaders' dashboard: figures by hand on a small plan, filters, drill-down, agreement with the export."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from reports.exports import quarterly_table, write_quarterly_workbook
from tasks.models import Assignment
from tests.factories import AssignmentFactory, DepartmentFactory, ReportFactory, ReviewFactory, TaskFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = "2021-07-02"  # 182 of 364 days gone: expected progress 50 % for a year-end deadline


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def small_plan(actors):
    """Four tasks as of 2 July 2021, one of each light but due soon (the others' task is removed).

    actors.task: office 100 % closed + district A 60 % → 80 %, on track
    behind:   A 20 % (expected 50 % − 10)                → behind
    overdue:  deadline 30 June, A 90 %                    → overdue
    closed:   A completed and accepted                    → done
    """
    a = actors.assignment.department
    closing = ReportFactory(
        assignment=actors.lead, status="completed", percent_complete=100, submitted_at=at(2021, 5, 1)
    )
    ReviewFactory(report=closing, reviewed_at=at(2021, 5, 2))
    ReportFactory(assignment=actors.assignment, percent_complete=60, submitted_at=at(2021, 6, 1))
    section = actors.task.section
    behind = AssignmentFactory(task=TaskFactory(section=section, title="滞后的事"), department=a)
    ReportFactory(assignment=behind, percent_complete=20, submitted_at=at(2021, 6, 1))
    overdue = AssignmentFactory(
        task=TaskFactory(section=section, title="逾期的事", deadline=datetime.date(2021, 6, 30)), department=a
    )
    ReportFactory(assignment=overdue, percent_complete=90, submitted_at=at(2021, 6, 1))
    done = AssignmentFactory(task=TaskFactory(section=section, title="办结的事"), department=a)
    claim = ReportFactory(assignment=done, status="completed", percent_complete=100, submitted_at=at(2021, 6, 1))
    ReviewFactory(report=claim, reviewed_at=at(2021, 6, 2))
    Assignment.objects.filter(task=actors.other_task).delete()
    actors.other_task.delete()
    return actors


def figures(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<a class="card[^"]*" href="[^"]*"><span>([^<]+)</span><strong[^>]*>([^<]+)</strong>', html)
    )


def test_headline_figures_by_hand(small_plan, login):
    html = login(small_plan.leader).get(reverse("dashboard"), {"as_of": AS_OF}).content.decode()

    assert figures(html) == {
        "任务总数": "4",
        "已办结": "1",
        "序时推进": "1",
        "临期": "0",
        "滞后": "1",
        "逾期": "1",
        "总体完成进度": f"{(80 + 20 + 90 + 100) / 4:.1f}%",
    }


def test_an_earlier_date_shows_the_earlier_state(small_plan, login):
    html = login(small_plan.office).get(reverse("dashboard"), {"as_of": "2021-05-15"}).content.decode()

    # Only the office's closure stood then; the closed task was not yet claimed.
    assert figures(html)["已办结"] == "0"
    assert figures(html)["总体完成进度"] == f"{50 / 4:.1f}%"


def test_each_figure_links_to_the_list_it_counts(small_plan, login):
    client = login(small_plan.leader)
    html = client.get(reverse("dashboard"), {"as_of": AS_OF}).content.decode()
    links = dict(re.findall(r'<a class="card[^"]*" href="([^"]+)"><span>([^<]+)</span>', html))
    by_name = {name: url.replace("&amp;", "&") for url, name in links.items()}

    for name in ("滞后", "逾期", "序时推进", "已办结"):
        listing = client.get(by_name[name]).content.decode()
        assert f"共 {figures(html)[name]} 项" in listing, name


def test_section_and_department_bars_link_to_filtered_lists(small_plan, login):
    client = login(small_plan.leader)
    response = client.get(reverse("dashboard"), {"as_of": AS_OF})
    charts = response.context["charts"]

    (section,) = charts["sections"]
    assert section["count"] == 4
    assert f"共 {section['count']} 项" in client.get(section["url"]).content.decode()
    by_department = {d["name"]: d for d in charts["departments"]}
    assert by_department["甲"]["count"] == 4
    # 按期完成率: of 甲's assignments whose deadline has passed (only 逾期的事), none closed by it
    assert by_department["甲"]["onTime"] == 0.0
    (office,) = [d for name, d in by_department.items() if name != "甲"]
    assert office["onTime"] is None  # its one deadline has not passed: "—", never 100 %
    assert "共 4 项" in client.get(by_department["甲"]["url"]).content.decode()


@pytest.mark.parametrize("params", [{"light": "purple"}, {"as_of": "2021-13-40"}, {"workplan": "999999"}])
def test_an_invalid_filter_shows_the_error_and_no_figures(small_plan, login, params):
    html = login(small_plan.leader).get(reverse("dashboard"), params).content.decode()

    assert "筛选条件有误，未显示任何数字" in html
    assert figures(html) == {}


def test_departments_not_reported_this_quarter(small_plan, login):
    DepartmentFactory(code="c", name="丙区")
    silent = AssignmentFactory(task=small_plan.task, department=DepartmentFactory(code="d", name="丁区"))
    ReportFactory(assignment=silent, quarter=2, submitted_at=at(2021, 6, 1))
    ReportFactory(assignment=small_plan.assignment, quarter=3, submitted_at=at(2021, 7, 1))

    board = login(small_plan.leader).get(reverse("dashboard"), {"as_of": AS_OF}).context["board"]

    assert board.reporting_quarter == 3
    assert {bar.label for bar in board.not_reported} == {"市", "丁"}


def test_staff_go_to_their_own_work(actors, login):
    assert login(actors.staff).get(reverse("dashboard")).url == reverse("my_work")


def test_the_dashboard_of_31_march_equals_the_first_quarter_table(plan_2021, login, settings):
    """The same numbers on the screen and in the file sent upward."""
    from tests.factories import UserFactory

    staff = UserFactory(username="reporter")
    for number, percent in [(1, 100), (5, 30), (8, 40), (14, 10)]:
        for assignment in Assignment.objects.filter(task__number=number)[:3]:
            status = "completed" if percent == 100 else "in_progress"
            report = ReportFactory(
                assignment=assignment,
                percent_complete=percent,
                status=status,
                submitted_by=staff,
                submitted_at=at(2021, 3, 10),
            )
            if percent == 100:
                ReviewFactory(report=report, reviewed_at=at(2021, 3, 12))
    ReportFactory(
        assignment=Assignment.objects.filter(task__number=9).first(),
        percent_complete=80,
        quarter=2,
        submitted_at=at(2021, 4, 2),
    )  # a second-quarter report: in neither
    leader = UserFactory(role="leader")
    board = login(leader).get(reverse("dashboard"), {"as_of": "2021-03-31"}).context["board"]
    stream = io.BytesIO()
    write_quarterly_workbook(quarterly_table(workplan=plan_2021, quarter=1, now=at(2021, 7, 15)), stream)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    summary = list(book["汇总"].values)

    section_totals = next(r for r in summary if r[0] == "合计")
    assert section_totals[1] == board.tasks
    assert list(section_totals[2:7]) == [
        board.lights[light] for light in ("done", "on_track", "due_soon", "behind", "overdue")
    ]
    rows = [r for r in book["推进情况"].values if isinstance(r[0], int)]
    assert sum(r[6] for r in rows) / len(rows) * 100 == pytest.approx(board.percent)
    department_rows = {
        r[0]: r for r in summary[summary.index(next(r for r in summary if r[0] == "单位")) + 1 :] if r[0]
    }
    for bar in board.departments:
        assert department_rows[bar.label][1] == bar.count
        rate = department_rows[bar.label][7]
        expected = bar.on_time_completion_rate
        assert rate == "—" if expected is None else rate == pytest.approx(expected)


def test_the_quarter_line_includes_the_quarter_ending_on_the_as_of_date(small_plan, login):
    board = login(small_plan.leader).get(reverse("dashboard"), {"as_of": "2021-06-30"}).context["board"]

    assert [label for label, _, _ in board.quarters] == ["2021年第一季度（草稿）", "2021年第二季度（草稿）"]


def test_filtered_to_a_department_the_quarter_line_is_that_departments(small_plan, login):
    # 2021年第二季度's draft table: the office's 100 % on the first task and 甲's 60 %, 20 %, 90 % and 100 %.
    client = login(small_plan.leader)
    a = small_plan.assignment.department

    whole = client.get(reverse("dashboard"), {"as_of": "2021-06-30"}).context["board"]
    own = client.get(reverse("dashboard"), {"as_of": "2021-06-30", "department": a.pk}).context["board"]

    assert whole.quarters[1][2] == pytest.approx((80 + 20 + 90 + 100) / 4)  # the first task: (100 + 60) / 2
    assert own.quarters[1][2] == pytest.approx((60 + 20 + 90 + 100) / 4)


def test_the_on_time_rate_counts_closures_on_or_before_the_deadline(small_plan, login):
    # 逾期的事 (deadline 30 June) is closed on 1 July: late; a new task closed before its deadline is on time.
    overdue = Assignment.objects.get(task__title="逾期的事")
    claim = ReportFactory(assignment=overdue, status="completed", percent_complete=100, submitted_at=at(2021, 6, 29))
    ReviewFactory(report=claim, reviewed_at=at(2021, 7, 1))
    early = AssignmentFactory(
        task=TaskFactory(section=overdue.task.section, title="提前办结", deadline=datetime.date(2021, 5, 31)),
        department=overdue.department,
    )
    claim = ReportFactory(assignment=early, status="completed", percent_complete=100, submitted_at=at(2021, 5, 20))
    ReviewFactory(report=claim, reviewed_at=at(2021, 5, 31, 18))

    charts = login(small_plan.leader).get(reverse("dashboard"), {"as_of": AS_OF}).context["charts"]

    assert {d["name"]: d["onTime"] for d in charts["departments"]}["甲"] == 50.0


def test_thresholds_are_the_plans_and_the_office_can_change_them(small_plan, login):
    plan = small_plan.task.section.workplan
    plan.light_tolerance = 40  # this office calls only 40 points behind yellow
    plan.due_soon_days = 200
    plan.save()

    html = login(small_plan.leader).get(reverse("dashboard"), {"as_of": AS_OF}).content.decode()

    assert figures(html)["滞后"] == "0"
    assert figures(html)["临期"] == "2"  # 80 % and 20 %, both within 200 days of 31 December


def test_a_department_filter_shows_that_departments_standing_on_each_task(small_plan, login):
    client = login(small_plan.leader)
    office = small_plan.lead.department

    html = client.get(reverse("task_list"), {"department": office.pk, "as_of": AS_OF}).content.decode()
    board = client.get(reverse("dashboard"), {"department": office.pk, "as_of": AS_OF}).context["board"]

    # The office's own assignment is closed (100 %); the task as a whole is 80 % and on track.
    assert "已办结" in html and "80%" not in html
    assert board.lights == {"done": 1}
    assert board.percent == 100


def test_the_page_lists_twenty_overdue_tasks_and_counts_them_all(small_plan, login):
    section = small_plan.task.section
    for n in range(22):
        task = TaskFactory(section=section, title=f"又一件逾期的事{n}", deadline=datetime.date(2021, 6, 30))
        AssignmentFactory(task=task, department=small_plan.assignment.department)

    response = login(small_plan.leader).get(reverse("dashboard"), {"as_of": AS_OF})
    board = response.context["board"]

    assert board.overdue_count == 23 and len(board.overdue) == 20
    assert f">{board.overdue_count}</a></small></h2>" in response.content.decode()
    assert [row.title for row in board.overdue][:2] == ["逾期的事", "又一件逾期的事0"]  # in plan order


def test_filtered_to_one_light_the_other_cards_count_nothing_and_link_nowhere(small_plan, login):
    response = login(small_plan.leader).get(reverse("dashboard"), {"as_of": AS_OF, "light": "overdue"})
    html = response.content.decode()
    board = response.context["board"]

    assert figures(html)["逾期"] == "1" and board.tasks == 1
    assert "滞后" not in figures(html)  # drawn, but not as a link to the 滞后 list (which would drop 逾期)
    assert re.search(r'<div class="card card-yellow"><span>滞后</span><strong>0</strong></div>', html)
    assert [percent for _, _, percent in board.quarters] == [pytest.approx(90)] * 2  # 逾期的事 only (whole plan: 72.5)
