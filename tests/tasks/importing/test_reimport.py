"""A revised document over a plan with reports: items found by their text, reports stay on their items.

Runs on PostgreSQL in CI (DATABASE_URL) and on SQLite alike. ProgressReport is
imported from where it lives today (reports.models).
"""

import io

import pytest
from django.core.management import CommandError, call_command

from progress.models import ProgressReport
from tasks.models import Task

from ...factories import UserFactory

ORIGINAL = """\
2023年某市人防工作要点
一、甲部分
1.建设指挥所。年底前完成。
2.完善方案计划。
二、乙部分
3.加强质量监管。
4.推进维护管理。6月底前完成清查。
5.开展防空警报试鸣。9月完成。
三、丙部分
6.加大宣传教育。
"""
# An item inserted in part 二: the items after it are renumbered.
INSERTED = ORIGINAL.replace("4.推进维护管理。", "4.新建疏散基地。\n5.推进维护管理。").replace("5.开展", "6.开展")
INSERTED = INSERTED.replace("6.加大", "7.加大")


def import_text(tmp_path, text, *options):
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_workplan", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def report_on(title: str) -> ProgressReport:
    task = Task.objects.get(title=title)
    return ProgressReport.objects.create(
        assignment=task.assignments.get(role="lead"),
        quarter=1,
        status=ProgressReport.Status.IN_PROGRESS,
        percent_complete=30,
        progress_summary=f"{title}：按计划推进",
        submitted_by=UserFactory(),
    )


@pytest.fixture
def reported(tmp_path, departments):
    import_text(tmp_path, ORIGINAL)
    return {title: report_on(title) for title in ("推进维护管理", "开展防空警报试鸣", "加大宣传教育")}


def test_an_inserted_item_renumbers_the_rest_and_every_report_stays_on_its_item(tmp_path, reported):
    out = import_text(tmp_path, INSERTED)

    numbers = dict(Task.objects.values_list("title", "number"))
    assert numbers == {
        "建设指挥所": 1, "完善方案计划": 2, "加强质量监管": 3, "新建疏散基地": 4,
        "推进维护管理": 5, "开展防空警报试鸣": 6, "加大宣传教育": 7,
    }  # fmt: skip
    for title, report in reported.items():
        report.refresh_from_db()
        assert report.assignment.task.title == title
    assert not ProgressReport.objects.filter(assignment__task__title="新建疏散基地").exists()
    assert "新增 1" in out and "改号 3" in out


def test_a_changed_item_with_reports_is_refused_without_accept_changes(tmp_path, reported):
    changed = ORIGINAL.replace("4.推进维护管理。6月底前完成清查。", "4.推进维护管理和改造。8月底前完成清查和改造。")

    with pytest.raises(CommandError) as error:
        import_text(tmp_path, changed)

    assert "1 项已有填报的任务内容有变化，未导入" in str(error.value)
    assert "推进维护管理 → 推进维护管理和改造" in str(error.value)
    assert Task.objects.filter(title="推进维护管理").exists()

    import_text(tmp_path, changed, "--accept-changes")

    task = Task.objects.get(number=4)
    assert (task.title, str(task.deadline)) == ("推进维护管理和改造", "2023-08-31")
    assert reported["推进维护管理"].assignment.task_id == task.pk


def test_the_dry_run_lists_what_changes(tmp_path, reported):
    out = import_text(tmp_path, INSERTED, "--dry-run")

    assert "编号变化：2-5 → 2-6 开展防空警报试鸣" in out
    assert "编号变化：3-6 → 3-7 加大宣传教育" in out


def test_an_item_gone_from_the_document_is_kept_with_its_reports(tmp_path, reported):
    out = import_text(tmp_path, ORIGINAL.replace("5.开展防空警报试鸣。9月完成。\n", ""))

    assert "文件中已没有的任务（保留未删）：2-5" in out
    reported["开展防空警报试鸣"].refresh_from_db()
    assert reported["开展防空警报试鸣"].assignment.task.title == "开展防空警报试鸣"


def test_an_item_removed_with_the_rest_renumbered_keeps_its_reports_out_of_the_way(tmp_path, reported):
    revised = (
        ORIGINAL.replace("4.推进维护管理。6月底前完成清查。\n", "")
        .replace("5.开展", "4.开展")
        .replace("6.加大", "5.加大")
    )

    out = import_text(tmp_path, revised)

    numbers = dict(Task.objects.values_list("title", "number"))
    assert (numbers["开展防空警报试鸣"], numbers["加大宣传教育"]) == (4, 5)
    assert numbers["推进维护管理"] == 5  # kept with its report, after the items of its part
    assert "文件中已没有的任务（保留未删）：2-4" in out
    for title, report in reported.items():
        report.refresh_from_db()
        assert report.assignment.task.title == title
