"""The layout issue's guarantees (STYLE.md, "Our own"): one-way dependencies, no circles, small views."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["departments", "tasks", "progress", "reports", "reminders", "api", "workplan"]


def _code_lines(folder: Path) -> int:
    return sum(
        1
        for path in folder.rglob("*.py")
        if "migrations" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )


def test_import_contracts_hold():
    """import-linter's contracts in pyproject.toml: layers, the writing side apart, no circles inside an app."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_views_module_is_over_250_lines():
    for views in ROOT.glob("*/views*.py"):
        assert len(views.read_text(encoding="utf-8").splitlines()) <= 250, views


def test_the_reading_side_is_not_where_everything_lands():
    total = sum(_code_lines(ROOT / app) for app in APPS)
    assert _code_lines(ROOT / "reports") < 0.4 * total
