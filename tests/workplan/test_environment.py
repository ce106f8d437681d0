"""The suite does not depend on the shell it runs in, and leaves no switches behind."""

import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.workplan.test_production import production_env


def test_tests_pass_with_the_production_env_file_sourced(tmp_path):
    """After `set -a; . production.env` (DEBUG=0, HTTPS redirect, manifest static files) pages still render."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env |= {k: v for k, v in production_env().items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env |= {"STATIC_ROOT": str(tmp_path / "static"), "MEDIA_ROOT": str(tmp_path / "media")}  # nothing collected
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/reminders/test_chase.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_async_unsafe_is_not_left_on_after_the_browser_tests():
    """tests/browser runs before this folder: the ORM's event-loop guard must be back for everything else."""
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
