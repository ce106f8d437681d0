"""Paging for the list pages (全部任务, 我的工作, reports.views): which rows a page holds, with or without a light
or status filter."""

import datetime

from departments.paging import Paginator
from departments.roles import role_of

from .figures_cache import cached_figures, filters_key
from .filters import in_given_order, matching_ids

PAGE_SIZE = 50


def list_page(request, filterset, rows_for, figures_for, *, as_of: datetime.date, plain=None):
    """Filter, paginate and compute progress for a list on ``as_of``; light and status filter the computed figures.

    Without a light or status filter only the page's rows are computed
    (_plain_page; ``plain`` is the list's queryset before any standing is
    joined in, when the filterset's own has it joined). With
    one, every row's figures are computed from sums (``figures_for``: id →
    Progress, in list order, a fixed number of queries) and only the page's
    rows are built as objects (``rows_for``), so the cost stays flat in the
    number of tasks. The matching ids are kept while nothing is written
    (reports.figures_cache): turning pages reads them again.
    """
    if not filterset.is_valid():
        return None
    wanted_light = filterset.form.cleaned_data.get("light")
    wanted_status = filterset.form.cleaned_data.get("status")
    page_number = request.GET.get("page")
    if not (wanted_light or wanted_status):
        return _plain_page(filterset, page_number, rows_for, plain)
    user = request.user
    key = (
        request.path,
        as_of,
        role_of(user),
        user.department_id,  # staff lists are their department's
        *filters_key(filterset.form.cleaned_data),
    )
    ids = cached_figures(
        "list", key, lambda: matching_ids(figures_for(filterset.qs), light=wanted_light, status=wanted_status)
    )
    page = Paginator(ids, PAGE_SIZE).get_page(page_number)
    page.object_list = rows_for(in_given_order(filterset.qs, list(page.object_list)))
    return page


def _plain_page(filterset, page_number, rows_for, plain=None):
    """A page of a list filtered by neither light nor status: the page's ids first, then its rows.

    The count and the page's ids are read from a narrow query on ids alone
    (``plain`` with the filterset's filters, or the filterset's own queryset):
    nothing is joined for the standing and no wide row is sorted, so both stay
    cheap at 10,000 tasks. The page's objects are read in the same query, the
    ids a subquery of the filterset's unfiltered queryset (any standing it
    joins, for those rows only); ``rows_for`` builds them into rows.
    """
    source = filterset.qs if plain is None else filterset.filter_queryset(plain)
    page = Paginator(source.values_list("pk", flat=True), PAGE_SIZE).get_page(page_number)
    page.object_list = rows_for(list(filterset.queryset.filter(pk__in=page.object_list)))
    return page
