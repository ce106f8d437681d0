from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The reading side (报表): lists, the task page, dashboard figures, the quarterly table. Never writes."""

    name = "reports"
    verbose_name = _("报表")
