"""Every management command of the project explains itself with --help, in Chinese."""

import re

import pytest
from django.core.management import get_commands, load_command_class

PROJECT_APPS = ("departments", "tasks", "progress", "reminders", "reports", "api")
COMMANDS = sorted(name for name, app in get_commands().items() if app in PROJECT_APPS)


def test_the_project_has_its_commands():
    assert {"import_workplan", "finalise_quarter", "rebuild_standing", "send_reminders"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_prints_the_commands_chinese_description_and_options(name):
    command = load_command_class(get_commands()[name], name)

    text = command.create_parser("manage.py", name).format_help()

    assert text.startswith("usage: manage.py " + name)
    assert re.search(r"[\u4e00-\u9fff]", text), "the description is in Chinese"
