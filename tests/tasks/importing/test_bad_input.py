"""Bad documents: a clear message naming the file and line, a non-zero exit, nothing written."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from departments.models import Department
from tasks.models import Assignment, Milestone, Section, Task, Workplan

from ...conftest import ROOT


def snapshot():
    return [m.objects.count() for m in (Department, Workplan, Section, Task, Assignment, Milestone)]


def import_fails(path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("import_workplan", str(path), stdout=io.StringIO())
    return str(error.value)


@pytest.fixture
def write(tmp_path):
    def write(content: bytes | str, name="plan.txt"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


@pytest.mark.parametrize(
    "content, message",
    [
        pytest.param(
            "2021年某某工作要点\n\n今年要把工作做好。\n",
            "1: 没有识别出任何编号事项（段首应为“1.”“1、”“（一）”等）",
            id="no-items",
        ),
        pytest.param(
            "2021年工作要点\n一、甲\n1.做一件事。\n2.做两件事。\n二、乙\n2.又是第二件。\n",
            "6: 事项序号 2 重复（第4行已有）",
            id="duplicate-item-numbers",
        ),
        pytest.param(
            "2021年工作要点\n一、甲\n1.做一件事。\n一、乙\n2.做两件事。\n",
            "4: 部分序号“一、乙”重复",
            id="duplicate-section-numbers",
        ),
        pytest.param(
            "2021年工作要点\n1.第一件事。\n".encode() + b"2.\xff\xfe\xfa\x80\x81\n",
            "3: 无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030 或 Big5",
            id="unreadable-encoding",
        ),
        pytest.param(
            "2021年工作要点\n一、甲\n1.做一件事。\n2.做两件事。2月30日前完成。\n",
            "4: “2月30日前”不是2021年的有效日期",
            id="impossible-date",
        ),
        pytest.param(
            "2021年工作要点\n1.做一件事。\n一、甲\n2.做两件事。\n",
            "2: 编号事项出现在第一个部分标题之前",
            id="item-before-any-section",
        ),
        pytest.param("某某工作要点\n1.做一件事。\n", "1: 标题中没有年度，请用 --year 指定", id="no-year"),
    ],
)
def test_a_bad_document_names_its_line_and_writes_nothing(departments, write, content, message):
    path = write(content)
    before = snapshot()

    assert import_fails(path) == f"{path}:{message}"
    assert snapshot() == before


def test_a_missing_file(departments, tmp_path):
    path = tmp_path / "nowhere.txt"

    assert import_fails(path) == f"{path}: 文件不存在"


def test_a_failure_halfway_leaves_an_earlier_import_untouched(plan_2021, write):
    """A document that fails on its last item writes none of the items before it."""
    path = write("2021年宁波市人防工作要点\n一、甲\n1.改过的标题。\n2.又一件。13月底前完成。\n")
    before = snapshot()

    assert import_fails(path) == f"{path}:4: “13月底前”中的月份无效"
    assert snapshot() == before
    assert Task.objects.get(number=1).title == "始终把政治建设摆在首位"


def test_the_command_exits_non_zero_with_the_message_on_stderr(tmp_path):
    path = tmp_path / "nowhere.txt"
    result = subprocess.run(
        [sys.executable, "manage.py", "import_workplan", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        check=False,
    )

    assert result.returncode == 1
    assert f"{path}: 文件不存在" in result.stderr


def test_a_nul_character_names_its_line(departments, write):
    """PostgreSQL takes no NUL in text; the importer says where it is instead of printing a traceback."""
    path = write("2021年某某工作要点\n一、工程建设\n1.推进\x00建设，年内完成。\n")
    before = snapshot()

    message = import_fails(path)

    assert message == f"{path}:3: 文件含有 NUL 字节，不是文本文件"
    assert snapshot() == before
