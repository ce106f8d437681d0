"""Paging for every list page (全部任务, 我的工作, 待审核, the bell's list)."""

import contextlib

from django.core.paginator import Paginator as DjangoPaginator


class Paginator(DjangoPaginator):
    """Django's Paginator whose ``get_page`` takes a number below 1 (``?page=0``, ``?page=-1``) as the first page.

    Django takes any number out of range as the last page: right for a page past the end (the list got
    shorter), wrong for one before the start. Anything not a number is the first page, as in Django.
    """

    def get_page(self, number):
        with contextlib.suppress(TypeError, ValueError):
            number = max(int(number), 1)
        return super().get_page(number)
