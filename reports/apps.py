from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The reading side (报表): lists, the task page, dashboard figures, the quarterly table. Never writes
    (the figures' version is written by the database's own triggers: reports.versioning)."""

    name = "reports"
    verbose_name = _("报表")

    def ready(self):
        from .versioning import install_version_triggers

        post_migrate.connect(install_version_triggers, sender=self, dispatch_uid="reports.version_triggers")
