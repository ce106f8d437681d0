"""What the reading side keeps of its own: the figures' version (reports.figures_cache, reports.versioning)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FiguresVersion(models.Model):
    """A slot of the figures' version, written only by the database (PostgreSQL triggers, reports.versioning).

    Every write to a table the figures read sets one slot's ``version`` to a new, larger number from a
    sequence, in the writer's own transaction; the sum over the slots therefore grows with every commit that
    changed such a table, and with nothing else. Writers never wait for each other here: each takes a slot no
    one else holds (a new one when all are taken).
    """

    version = models.BigIntegerField(_("版本"))

    class Meta:
        verbose_name = _("统计数据版本")
        verbose_name_plural = _("统计数据版本")

    def __str__(self):
        return f"{self.pk}: {self.version}"
