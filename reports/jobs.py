"""Celery jobs of the reading side (listed in CELERY_IMPORTS). Thin: each calls what the pages call."""

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from tasks.models import Task, Workplan

from .dashboard import kept_dashboard, latest_plan
from .figures_cache import enabled
from .filters import TaskFilter


@shared_task
def keep_dashboards() -> int:
    """Keep ready the dashboards leaders open first: today's (Asia/Shanghai), unfiltered, of the latest plan and
    of every plan of this year. Returns how many plans it looked at.

    Run every 30 seconds (CELERY_BEAT_SCHEDULE) where figures are kept. While they are, each plan costs its
    filter's two queries (the plan picker, the version) and a cache read; after a write (reports.versioning) it
    computes the figures once, here rather than in a leader's request. Does nothing where figures are not kept
    (SQLite, no CACHE_URL: reports.figures_cache.enabled).
    """
    if not enabled():
        return 0
    today = timezone.localdate()
    latest = latest_plan()
    plans = Workplan.objects.filter(Q(year=today.year) | Q(pk=getattr(latest, "pk", None))).order_by("-year", "-pk")
    looked = 0
    for plan in plans:
        # The filters the dashboard page starts from (reports.views.dashboard_view): the plan and today.
        filterset = TaskFilter({"workplan": str(plan.pk), "as_of": today.isoformat()}, queryset=Task.objects.all())
        if filterset.is_valid():
            kept_dashboard(filterset, today)
            looked += 1
    return looked
