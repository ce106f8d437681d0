"""`make run` as a new user meets it: a fresh clone, SQLite, the embedded broker, no services.

Each test clones the repository into a temporary folder and runs the README's
command there, reusing this virtualenv (VENV=…) so nothing is reinstalled.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not (shutil.which("git") and shutil.which("make") and (ROOT / ".git").exists()),
    reason="needs git, make and a git checkout",
)


@pytest.fixture
def clone(tmp_path) -> Path:
    """A fresh clone of the committed tree, its requirements older than this venv's install stamps."""
    target = tmp_path / "workplan"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    for name in ("requirements.txt", "requirements-dev.txt"):
        os.utime(target / name, (0, 0))  # make sees this venv as up to date and installs nothing
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_run(clone: Path, port: int, log: Path) -> subprocess.Popen:
    """`make run` with a new machine's environment: no DATABASE_URL, broker, DEBUG or key set."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    with log.open("wb") as output:
        return subprocess.Popen(
            ["make", "run", f"PORT={port}", f"VENV={sys.prefix}"],
            cwd=clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so a leftover can be found and cleaned up by group
        )


def wait_until_serving(process: subprocess.Popen, port: int, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"not serving after {timeout}s:\n" + log.read_text(encoding="utf-8"))


def demo_password(log: Path) -> str:
    return re.findall(r"演示账号的密码：(\S+)", log.read_text(encoding="utf-8"))[-1]


def logs_in(port: int, username: str, password: str) -> bool:
    """Sign in through the login page as a browser would; True when it lands on the home page."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login_url = f"http://127.0.0.1:{port}/accounts/login/"
    page = opener.open(login_url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    request = urllib.request.Request(login_url, data=form.encode(), headers={"Referer": login_url})
    with opener.open(request, timeout=10) as response:
        return "/accounts/login/" not in response.url


def processes_in(folder: Path) -> list[str]:
    """Command lines of the running processes whose working directory is ``folder``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cwd").resolve() == folder:
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


def wait_for_exit(process: subprocess.Popen, seconds: float) -> int:
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError(f"make run still running {seconds}s later") from None


def assert_nothing_left(clone: Path) -> None:
    for _ in range(20):
        if not processes_in(clone):
            return
        time.sleep(0.25)
    raise AssertionError(f"left running: {processes_in(clone)}")


def set_short_name(clone: Path, code: str, short_name: str, email: str) -> None:
    with sqlite3.connect(clone / "var" / "db.sqlite3") as db:
        db.execute("UPDATE departments_department SET short_name=?, email=? WHERE code=?", (short_name, email, code))


def department(clone: Path, code: str) -> tuple[str, str]:
    with sqlite3.connect(clone / "var" / "db.sqlite3") as db:
        return db.execute("SELECT short_name, email FROM departments_department WHERE code=?", (code,)).fetchone()


def test_running_again_keeps_the_offices_changes_and_the_password(clone, tmp_path):
    port = free_port()
    first = make_run(clone, port, tmp_path / "first.log")
    wait_until_serving(first, port, tmp_path / "first.log")
    password = demo_password(tmp_path / "first.log")
    assert logs_in(port, "staff-haishu", password)
    set_short_name(clone, "haishu", "海曙区新简称", "office@haishu.example.gov.cn")
    assert (clone / "var" / "demo_password").stat().st_mode & 0o077 == 0  # owner only

    first.send_signal(signal.SIGTERM)  # to make alone, as a service manager would
    wait_for_exit(first, 20)
    assert_nothing_left(clone)

    second = make_run(clone, port, tmp_path / "second.log")
    wait_until_serving(second, port, tmp_path / "second.log")

    assert department(clone, "haishu") == ("海曙区新简称", "office@haishu.example.gov.cn")
    assert demo_password(tmp_path / "second.log") == password
    assert logs_in(port, "staff-haishu", password)
    assert not logs_in(port, "staff-haishu", password + "x")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/app.css", timeout=5) as css:
        assert css.status == 200  # DEBUG is off and whitenoise serves the collected files
    with pytest.raises(urllib.error.HTTPError) as not_found:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
    body = not_found.value.read().decode()
    assert not_found.value.code == 404 and "页面不存在" in body and "URLconf" not in body  # not Django's debug page

    # The web server dies: honcho stops worker and beat, and make run fails.
    web = int(re.search(r"web\.1 started \(pid=(\d+)\)", (tmp_path / "second.log").read_text()).group(1))
    os.killpg(web, signal.SIGKILL)
    assert wait_for_exit(second, 15) != 0
    assert_nothing_left(clone)
    assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout == ""


def test_a_taken_port_fails_within_seconds_and_leaves_nothing_running(clone, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        run = make_run(clone, port, tmp_path / "taken.log")
        returncode = wait_for_exit(run, 15)

    assert returncode != 0
    assert time.monotonic() - started < 15
    assert f"无法在 127.0.0.1:{port} 提供服务：端口已被占用" in (tmp_path / "taken.log").read_text(encoding="utf-8")
    assert_nothing_left(clone)
