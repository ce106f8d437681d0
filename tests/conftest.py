import io
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SEED_2021 = ROOT / "fixtures" / "2021-ningbo-civil-air-defence.txt"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def departments(db):
    """The reference departments: the municipal office, ten districts, three zones."""
    call_command("loaddata", "departments", verbosity=0)


@pytest.fixture
def plan_2021(departments):
    """The 2021 Ningbo plan, imported from the project's copy of the published text."""
    call_command("import_workplan", str(SEED_2021), stdout=io.StringIO())
    from tasks.models import Workplan

    return Workplan.objects.get(year=2021)
