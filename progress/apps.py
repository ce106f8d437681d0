from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """The writing side of progress: reports, reviews, evidence."""

    name = "progress"
    verbose_name = _("进展填报")

    def ready(self):
        from . import standing  # noqa: F401 - connects the receivers that keep the figures up to date
