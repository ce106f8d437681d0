"""Settings for the test suite: workplan.settings read from a clean environment.

Tests must not depend on the shell they run in. After `set -a; . production.env`
DEBUG=0 would switch static files to the collectstatic manifest, SECURE_SSL_REDIRECT
would answer every request with a redirect, MEDIA_ROOT would point at the server's
files. So every variable workplan.settings reads is dropped here before it is read,
except the services CI provides (DATABASE_URL, CELERY_BROKER_URL): the suite then
runs on the development defaults, and tests that need another value set it themselves.
pyproject.toml names this module for pytest-django.
"""

import os
import re
from pathlib import Path

KEPT = {"DATABASE_URL", "CELERY_BROKER_URL"}
_source = (Path(__file__).with_name("settings.py")).read_text(encoding="utf-8")
_READ = r"""(?:env_bool|env_int|env_list|os\.environ\.get)\(\s*["']([A-Z0-9_]+)["']"""
READ_BY_SETTINGS = set(re.findall(_READ, _source))

for _name in READ_BY_SETTINGS - KEPT:
    os.environ.pop(_name, None)

from .settings import *  # noqa: E402, F403

# The suite's own storage: uploads in a folder of their own, static files as they are (no manifest).
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
