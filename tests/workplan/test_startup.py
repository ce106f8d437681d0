"""A web or Celery worker, once started, keeps its start-up objects out of the garbage collector's way."""

import gc

from workplan.startup import settle


def test_settle_freezes_what_the_process_holds_after_start_up():
    gc.unfreeze()
    try:
        settle()
        assert gc.get_freeze_count() > 0  # later collections skip them (docs/performance.md)
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
