"""Management commands speak Chinese on the terminal, refusals included (not Django's "CommandError: …")."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reminders.management.commands.send_reminders import Command as SendReminders
from reports.management.commands.export_quarterly_report import Command as ExportQuarterly


def test_a_refused_command_says_错误_and_exits_1(capsys):
    with pytest.raises(SystemExit) as exited:
        SendReminders().run_from_argv(["manage.py", "send_reminders", "--date", "2021-13-01"])

    assert exited.value.code == 1
    assert capsys.readouterr().err == "错误：--date '2021-13-01' 不是 YYYY-MM-DD 格式的日期\n"


def test_called_from_code_a_refusal_is_still_a_command_error(db):
    with pytest.raises(CommandError, match=r"^没有 2030 年的工作要点$"):
        call_command("export_quarterly_report", "--year", "2030", "--quarter", "1")


def test_an_export_names_a_missing_department_in_chinese(plan_2021, tmp_path, capsys):
    with pytest.raises(SystemExit):
        ExportQuarterly().run_from_argv(
            ["manage.py", "export_quarterly_report", "--year", "2021", "--quarter", "1", "--department", "nowhere"]
        )

    assert capsys.readouterr().err == "错误：没有代码为 nowhere 的单位\n"


def test_load_departments_and_rebuild_standing_report_in_chinese(departments):
    out = io.StringIO()
    call_command("load_departments", stdout=out)
    call_command("rebuild_standing", stdout=out)

    assert out.getvalue().splitlines() == ["单位名录已齐全，未作改动。", "已重算：0 条当前进展，0 条进展区间"]
