from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    default = True  # "departments" in INSTALLED_APPS means this one, not AxesConfig below
    name = "departments"
    verbose_name = _("单位与用户")

    def ready(self):
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="departments.ensure_role_groups")
        from . import sessions  # noqa: F401 - counts signing in as the session's renewal


class AxesConfig(AxesAppConfig):
    """django-axes (failed-login lockouts) under a Chinese admin section name; its other strings are in locale/."""

    verbose_name = _("登录保护")
