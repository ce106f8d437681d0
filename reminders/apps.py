from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminder rules, the daily sweep, chases, notifications and the Celery jobs."""

    name = "reminders"
    verbose_name = _("提醒与催办")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the review-decision notice
