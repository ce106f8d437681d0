"""`make run` checks its port first, on a fresh machine, before any requirement is installed.

Found by trying: on a fresh clone `make run` stopped with "No module named 'celery'",
because the check imported the workplan package before pip had run.
"""

import socket
import subprocess
import venv

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def bare_venv(tmp_path_factory):
    """A virtualenv with nothing installed, as `make run` has it before `pip install`."""
    path = tmp_path_factory.mktemp("bare") / "venv"
    venv.create(path, with_pip=False)
    return path


def _port_free(bare_venv, port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-s", "port-free", f"VENV={bare_venv}", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_free_port_passes_before_anything_is_installed(bare_venv):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _port_free(bare_venv, port)
    assert result.returncode == 0, result.stderr


def test_a_taken_port_is_named_in_chinese_before_anything_is_installed(bare_venv):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = _port_free(bare_venv, taken.getsockname()[1])
    assert result.returncode != 0
    assert "端口已被占用" in result.stderr
    assert "ModuleNotFoundError" not in result.stderr
