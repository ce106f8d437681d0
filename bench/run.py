"""make bench: the tracker at province scale, each figure beside its floor.

Builds a throw-away database (PostgreSQL when DATABASE_URL points at one, a
database named BENCH_DATABASE, default <its name>_bench, beside it; else SQLite
under var/), fills it with generate_demo_data, runs VACUUM ANALYZE (the planner
then sees the tables as a live server would), and measures the dashboard, the list pages, /api/tasks/, the quarterly
export, the reminder sweep, the importer and, with gunicorn and wrk, the
dashboard under load. Prints a table and writes bench/results.json.

BENCH_SCALE=small (300 tasks, a few minutes) or full (10,000 tasks; default).
BENCH_REUSE=1 keeps the bench database when it already holds the generated plan
of that scale (migrated to this commit, not generated again) and only runs VACUUM ANALYZE and the
measurements; otherwise it is built afresh as without it. The import measurement
leaves its two plans in the database, so a reused one holds them too.
BENCH_PORT (default 8765) is where gunicorn listens for the load runs; each
load run is drained (the server answers again with nothing in flight) before
the next. Every timing is the median of several runs after one warm-up.
"""

import datetime
import io
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCALES = {
    "small": {"tasks": 300, "sweep": 3000, "load_seconds": 5},
    "full": {"tasks": 10_000, "sweep": 100_000, "load_seconds": 15},
}
DEPARTMENTS = 10
RUNS = 5
WRITE_RUNS = 15  # a write is quick and its time varies: more runs for its median
# Issue 14's targets (full scale, PostgreSQL).
TARGETS = {
    "dashboard_ms": 300,
    "dashboard_vs_sql": 2.0,
    "dashboard_queries": 10,
    "list_ms": 60,
    "list_filtered_ms": 100,
    "list_queries": 10,
    "api_tasks_ms": 100,
    "api_tasks_queries": 8,
    "export_s": 3.0,
    "export_vs_styled": 2.0,
    "export_peak_mb": 300,
    "sweep_vs_floor": 2.5,
    "load_rps": 50,
    "load_p95_ms": 500,
}


# The generated plan's task count, or no row when the database does not hold one (or no tables yet).
GENERATED_TASKS_SQL = """
    SELECT count(*) FROM tasks_task t
    JOIN tasks_section s ON s.id = t.section_id
    JOIN tasks_workplan w ON w.id = s.workplan_id
    WHERE w.source = 'generate_demo_data'
    GROUP BY w.id
"""


def bench_database(*, reuse_tasks: int | None = None) -> tuple[str, str, bool]:
    """(DATABASE_URL for the bench database, engine name, reused).

    The database is built afresh (PostgreSQL's dropped and created, SQLite's
    file removed) unless ``reuse_tasks`` is given and it already holds a
    generated plan of exactly that many tasks: then it is kept as it is.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        # Named after the configured database (workplan → workplan_bench) unless BENCH_DATABASE says,
        # so two checkouts sharing one server do not drop each other's bench database.
        name = os.environ.get("BENCH_DATABASE") or (parts.path.strip("/") or "workplan") + "_bench"
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            sys.exit(f"BENCH_DATABASE: letters, digits and _ only, not {name!r}")
        bench_url = urlunsplit(parts._replace(path=f"/{name}"))
        if reuse_tasks is not None and _holds_plan(lambda: psycopg.connect(bench_url), reuse_tasks, psycopg.Error):
            return bench_url, "postgresql", True
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return bench_url, "postgresql", False
    import sqlite3

    path = ROOT / "var" / "bench.sqlite3"
    path.parent.mkdir(exist_ok=True)
    if (
        reuse_tasks is not None
        and path.exists()
        and _holds_plan(lambda: sqlite3.connect(path), reuse_tasks, sqlite3.Error)
    ):
        return f"sqlite:///{path}", "sqlite", True
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}", "sqlite", False


def _holds_plan(connect, tasks: int, errors) -> bool:
    """Whether the database ``connect()`` opens holds a generated plan of ``tasks`` tasks (False if it cannot tell)."""
    try:
        conn = connect()
        try:
            counts = [row[0] for row in conn.execute(GENERATED_TASKS_SQL).fetchall()]
        finally:
            conn.close()
    except errors:
        return False
    return tasks in counts


def timed(function, runs=RUNS):
    """Median seconds of ``runs`` calls after one warm-up, and the last result."""
    result = function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main():
    scale_name = os.environ.get("BENCH_SCALE", "full")
    scale = SCALES[scale_name]
    reuse = os.environ.get("BENCH_REUSE", "") not in ("", "0")
    database_url, engine, reused = bench_database(reuse_tasks=scale["tasks"] if reuse else None)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplan.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    results = {
        "scale": scale_name,
        "engine": engine,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "figures": {},
    }
    figures = results["figures"]
    say = lambda *a: print(*a, flush=True)  # noqa: E731

    say(f"bench: {engine}, {scale['tasks']} tasks × {DEPARTMENTS} departments")
    results["reused_database"] = reused
    call_command("migrate", verbosity=0)  # a reused database is brought up to this commit's schema
    if reused:
        say("bench: reusing the generated plan already in the database (BENCH_REUSE)")
    else:
        call_command("loaddata", "departments", verbosity=0)
        start = time.perf_counter()
        call_command(
            "generate_demo_data", "--tasks", str(scale["tasks"]), "--departments", str(DEPARTMENTS), "--seed", "1"
        )
        figures["generate_s"] = round(time.perf_counter() - start, 2)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: whitenoise's manifest, as deployed
    call_command("create_demo_users", "--password", "bench-password-1", stdout=io.StringIO())
    analyse(engine)
    from workplan.startup import settle

    settle()  # what each gunicorn worker does at start (workplan.wsgi): the in-process figures are a worker's

    figures |= measure_pages()
    figures |= measure_api()
    figures |= measure_writes()
    figures |= measure_export()
    figures |= measure_sweep(scale["sweep"])
    figures |= measure_import()
    figures |= measure_load(database_url, scale["load_seconds"])

    results["targets"] = TARGETS
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    say(f"written {out}")


def analyse(engine: str) -> None:
    """VACUUM ANALYZE (PostgreSQL) or ANALYZE (SQLite): fresh bulk-loaded tables have no statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if engine == "postgresql" else "ANALYZE")


def measure_get(client, url: str):
    """(median seconds of GET ``url``, the last response, the queries of one more GET); each must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    seconds, response = timed(get)
    with CaptureQueriesContext(connection) as captured:
        get()
    return seconds, response, captured


def measure_pages() -> dict:
    from django.test import Client

    from departments.models import User
    from tasks.models import Workplan

    plan = Workplan.objects.get(source="generate_demo_data")
    as_of = datetime.date(plan.year, 9, 30).isoformat()
    yinzhou = User.objects.get(username="staff-yinzhou").department_id
    pages = {
        "dashboard": ("leader", f"/dashboard/?workplan={plan.pk}&as_of={as_of}"),
        "dashboard_today": ("leader", f"/dashboard/?workplan={plan.pk}"),
        "task_list": ("leader", f"/tasks/?workplan={plan.pk}&as_of={as_of}"),
        "task_list_filtered": ("leader", f"/tasks/?workplan={plan.pk}&department={yinzhou}&light=behind"),
        "my_work": ("staff-yinzhou", "/my-work/"),
        "task_page": ("leader", f"/tasks/{plan.sections.first().tasks.order_by('number').first().pk}/"),
    }
    figures = {}
    for name, (username, url) in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        seconds, _response, captured = measure_get(client, url)
        figures[f"{name}_ms"] = round(seconds * 1000, 1)
        figures[f"{name}_queries"] = len(captured.captured_queries)
        if name == "dashboard":
            sql_seconds = sql_alone(captured)
            figures["dashboard_sql_ms"] = round(sql_seconds * 1000, 1)
            figures["dashboard_vs_sql"] = round(seconds / sql_seconds, 2)
            figures |= measure_kept_dashboard(client, url)
    return figures


def measure_kept_dashboard(client, url: str) -> dict:
    """The same dashboard with its figures kept (reports.figures_cache, a process-local cache standing in for
    Redis): what every look but the first after a write costs. The figures above are computed afresh."""
    from django.test import override_settings

    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}}
    with override_settings(CACHE_URL="redis://bench", CACHES=caches):
        seconds, _response, captured = measure_get(client, url)
    return {"dashboard_kept_ms": round(seconds * 1000, 1), "dashboard_kept_queries": len(captured.captured_queries)}


def sql_alone(captured) -> float:
    """The floor of a request: median seconds to re-run its SELECT statements on a cursor, nothing else."""
    from django.db import connection

    statements = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]

    def run_sql():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    seconds, _ = timed(run_sql)
    return seconds


def measure_api() -> dict:
    """/api/tasks/ with a personal token, beside its SQL alone: a page of 50 and of 200 (leader), 鄞州's staff."""
    from django.test import Client

    from api.services import token_create
    from departments.models import User
    from tasks.models import Workplan

    plan = Workplan.objects.get(source="generate_demo_data")
    as_of = datetime.date(plan.year, 9, 30).isoformat()
    calls = {
        "api_tasks": ("leader", f"/api/tasks/?workplan={plan.pk}&as_of={as_of}"),
        "api_tasks_200": ("leader", f"/api/tasks/?workplan={plan.pk}&as_of={as_of}&page_size=200"),
        "api_tasks_staff": ("staff-yinzhou", "/api/tasks/"),
    }
    figures = {}
    for name, (username, url) in calls.items():
        _token, key = token_create(user=User.objects.get(username=username), name="bench")
        seconds, response, captured = measure_get(Client(HTTP_AUTHORIZATION=f"Bearer {key}"), url)
        figures[f"{name}_ms"] = round(seconds * 1000, 1)
        figures[f"{name}_queries"] = len(captured.captured_queries)
        figures[f"{name}_sql_ms"] = round(sql_alone(captured) * 1000, 1)
        figures[f"{name}_count"] = response.json()["count"]
    return figures


class Rollback(Exception):
    """Raised to leave a measured transaction without keeping what it wrote."""


def rolled_back(function):
    """``function()`` inside a transaction that is then rolled back; returns its result."""
    from django.db import transaction

    try:
        with transaction.atomic():
            raise Rollback(function())
    except Rollback as done:
        return done.args[0]


def measure_writes() -> dict:
    """Report submit and review through progress.services (what the form and the review page call).

    鄞州's staff files a 第四季度 report at 60 % on an open assignment of the
    generated plan; the office accepts a report filed the same way. Each is
    timed inside its own transaction, then rolled back (nothing queued: jobs
    wait for a commit), so every run meets the same data: the median of
    ``WRITE_RUNS`` runs after a warm-up, with the queries of one run.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from departments.models import User
    from progress.services import report_review, report_submit
    from tasks.models import Assignment, Workplan

    plan = Workplan.objects.get(source="generate_demo_data")
    staff = User.objects.get(username="staff-yinzhou")
    office = User.objects.get(username="office")
    assignment = (
        Assignment.objects.filter(task__section__workplan=plan, department_id=staff.department_id)
        .exclude(reports__status="completed")
        .order_by("pk")
        .first()
    )

    def submit():
        return report_submit(
            assignment=assignment,
            user=staff,
            quarter=4,
            status="in_progress",
            percent_complete=60,
            progress_summary="按计划推进（测量用，已回滚）",
        ).report

    def review_one():
        report = submit()
        with CaptureQueriesContext(connection) as reviewed:
            start = time.perf_counter()
            report_review(report=report, user=office, decision="accepted")
            seconds = time.perf_counter() - start
        return seconds, len(reviewed.captured_queries)

    submit_seconds, _ = timed(lambda: rolled_back(submit), runs=WRITE_RUNS)
    reviews = [rolled_back(review_one) for _ in range(WRITE_RUNS + 1)][1:]  # the first is the warm-up
    with CaptureQueriesContext(connection) as submitted:
        rolled_back(submit)
    return {
        "report_submit_ms": round(submit_seconds * 1000, 1),
        "report_submit_queries": len(submitted.captured_queries),
        "report_review_ms": round(statistics.median(seconds for seconds, _ in reviews) * 1000, 1),
        "report_review_queries": reviews[-1][1],
    }


def measure_export() -> dict:
    import io

    from openpyxl import Workbook

    from reports.exports import _task_cells, _texts, quarterly_table, write_quarterly_workbook
    from tasks.models import Workplan

    plan = Workplan.objects.get(source="generate_demo_data")

    def export():
        stream = io.BytesIO()
        table = quarterly_table(workplan=plan, quarter=3)
        write_quarterly_workbook(table, stream)
        return table

    seconds, _ = timed(export, runs=3)
    tracemalloc.start()
    export()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The floor: the same cells, already in memory, written by plain openpyxl write-only mode.
    table = quarterly_table(workplan=plan, quarter=3)
    lines = [line for _section, section_lines in table.sections() for line in section_lines]
    rows = [_texts(line) for line in lines]

    def raw():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("raw")
        for row in rows:
            sheet.append(row)
        workbook.save(io.BytesIO())

    def styled():
        """The same cells with the same fonts, fills, borders and formats, from memory (no database)."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("styled")
        for line in lines:
            sheet.append(_task_cells(sheet, line))
        workbook.save(io.BytesIO())

    raw_seconds, _ = timed(raw, runs=3)
    styled_seconds, _ = timed(styled, runs=3)
    return {
        "export_s": round(seconds, 2),
        "export_raw_openpyxl_s": round(raw_seconds, 2),
        "export_styled_floor_s": round(styled_seconds, 2),
        "export_vs_raw": round(seconds / raw_seconds, 2),
        "export_vs_styled": round(seconds / styled_seconds, 2),
        "export_peak_mb": round(peak / 1024 / 1024, 1),
        "export_rows": len(rows),
    }


def measure_sweep(assignments_wanted: int) -> dict:
    """The day's reminder sweep at the generated plan's scale, beside its floor.

    The floor is what the sweep cannot avoid: every SELECT it ran, re-run on a
    cursor, and the rows it wrote (its e-mails with the same subjects and
    bodies, their bell notifications, its robot messages) written by one
    bulk_create per table. Everything above that is Python.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.models import ChannelMessage, Notification, ReminderLog
    from reminders.rules import reminder_items
    from reminders.services import sweep
    from tasks.models import Assignment, Workplan

    plan = Workplan.objects.get(source="generate_demo_data")
    day = datetime.date(plan.year, 9, 25)  # due-soon and overdue items across the plan
    count = Assignment.objects.count()

    def run():
        return rolled_back(lambda: sweep(day, deliver_now=False))

    from workplan.celery import app

    app.conf.task_always_eager = False
    from unittest import mock

    with mock.patch("reminders.jobs.send_reminder.delay_on_commit"):
        seconds, result = timed(run, runs=3)
        with CaptureQueriesContext(connection) as captured:
            run()
    # All of them: which come first changes with the code (the first six once left out the largest).
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]

    def write():
        # kind "chase": the sweep's own digests of the day were rolled back, but a digest is unique per person and day.
        logs = ReminderLog.objects.bulk_create(
            ReminderLog(
                recipient_id=log.recipient_id,
                kind="chase",
                date=day,
                email=log.email,
                subject=log.subject,
                body_text=log.body_text,
                body_html=log.body_html,
                status=log.status,
            )
            for log in result.recorded
        )
        Notification.objects.bulk_create(
            Notification(recipient_id=log.recipient_id, log=log, title=log.subject, body=log.subject, url="/")
            for log in logs
        )
        ChannelMessage.objects.bulk_create(
            ChannelMessage(channel_id=m.channel_id, kind="chase", date=day, title=m.title, body=m.body)
            for m in result.robot_messages
        )

    def floor():
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
        rolled_back(write)

    floor_seconds, _ = timed(floor, runs=3)
    gather_items = sum(len(v) for v in reminder_items(day).values())
    return {
        "sweep_assignments": count,
        "sweep_items": gather_items,
        "sweep_digests": len(result.recorded),
        "sweep_s": round(seconds, 2),
        "sweep_queries": len(captured.captured_queries),
        "sweep_floor_s": round(floor_seconds, 2),
        "sweep_vs_floor": round(seconds / floor_seconds, 2),
        "sweep_note": f"{count} assignments here; target scale {assignments_wanted}",
    }


def measure_import() -> dict:
    import io

    from django.core.management import call_command

    seed = ROOT / "fixtures" / "2021-ningbo-civil-air-defence.txt"
    generated = ROOT / "var" / "bench-500-items.txt"
    generated.parent.mkdir(exist_ok=True)  # a fresh checkout has no var/ yet
    lines = ["2030年宁波市人防工作要点（生成，500项）", ""]
    for section in range(1, 6):
        lines.append(f"{'一二三四五'[section - 1]}、第{section}部分")
        for n in range((section - 1) * 100 + 1, section * 100 + 1):
            lines.append(f"{n}.推进第{n}项工作。上半年完成方案，10月底前全面完成，鄞州、北仑要先行。")
    generated.write_text("\n".join(lines), encoding="utf-8")

    def load(path):
        return lambda: call_command("import_workplan", str(path), stdout=io.StringIO())

    seed_seconds, _ = timed(load(seed), runs=3)
    generated_seconds, _ = timed(load(generated), runs=3)
    return {"import_2021_s": round(seed_seconds, 3), "import_500_items_s": round(generated_seconds, 2)}


def measure_load(database_url: str, seconds: int) -> dict:
    """gunicorn (2 workers) on 127.0.0.1 and wrk for ``seconds`` against the dashboard and My work, signed in."""
    wrk = shutil.which("wrk")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not wrk or not gunicorn.exists():
        return {"load_note": "wrk or gunicorn missing: apt-get install wrk"}
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from departments.models import User
    from tasks.models import Workplan

    def cookie(username):
        user = User.objects.get(username=username)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "workplan.auth.UserWithRoleBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    plan = Workplan.objects.get(source="generate_demo_data")
    port = int(os.environ.get("BENCH_PORT", "8765"))
    env = os.environ | {"DATABASE_URL": database_url, "DEBUG": "0", "CONN_MAX_AGE": "60"}
    # Deployed with Redis as the shared cache (docs/deploy.md): the dashboard's figures are kept between looks.
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")
    if _answers(urlsplit(cache_url)):
        env["CACHE_URL"] = cache_url
        figures_note = f"cache {cache_url}"
    else:
        figures_note = f"no cache: {cache_url} does not answer"
    server = subprocess.Popen(
        [str(gunicorn), "workplan.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    figures = {"load_note": figures_note}
    try:
        time.sleep(3)
        for name, username, path in [
            ("load_dashboard", "leader", f"/dashboard/?workplan={plan.pk}&as_of={plan.year}-09-30"),
            ("load_my_work", "staff-yinzhou", "/my-work/"),
        ]:
            session = cookie(username)
            # One look first, as every figure here is taken after a warm-up: the dashboard's figures are then
            # kept, and the run measures looks between writes (the first look after one is the computed figure).
            warm_up(port, path, session)
            output = subprocess.run(
                [
                    wrk,
                    "-t2",
                    "-c4",
                    f"-d{seconds}s",
                    "--timeout",
                    "30s",
                    "--script",
                    str(ROOT / "bench" / "percentiles.lua"),
                    "-H",
                    f"Cookie: {session}",
                    f"http://127.0.0.1:{port}{path}",
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            ).stdout
            figures[f"{name}_rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
            for percentile, microseconds in re.findall(r"^percentile (\d+) (\d+)$", output, re.MULTILINE):
                figures[f"{name}_p{percentile}_ms"] = round(int(microseconds) / 1000, 1)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            figures[f"{name}_non_2xx"] = int(errors.group(1)) if errors else 0
            drain(port)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return figures


def warm_up(port: int, path: str, session_cookie: str) -> None:
    """One signed-in GET of ``path`` before a load run (its answer is not measured)."""
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": session_cookie})
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()


def _answers(address) -> bool:
    """Whether something listens at ``address`` (a urlsplit result with host and port)."""
    import socket

    try:
        socket.create_connection((address.hostname or "127.0.0.1", address.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def drain(port: int, timeout: float = 120) -> None:
    """Wait until requests wrk left in flight are done: four concurrent /healthz calls all answer.

    gunicorn's sync workers finish what they accepted after wrk closes its
    connections; the next run must not start behind that queue.
    """
    import concurrent.futures
    import urllib.request

    def probe(_):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as response:
            return response.status

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(probe, range(4)))
    time.sleep(1)


def print_table(results: dict) -> None:
    figures = results["figures"]
    rows = [
        ("dashboard, median", f"{figures.get('dashboard_ms')} ms", f"≤ {TARGETS['dashboard_ms']} ms"),
        (
            "dashboard, its SQL alone",
            f"{figures.get('dashboard_sql_ms')} ms",
            f"ratio {figures.get('dashboard_vs_sql')} (≤ {TARGETS['dashboard_vs_sql']})",
        ),
        ("dashboard, queries", figures.get("dashboard_queries"), f"≤ {TARGETS['dashboard_queries']}"),
        (
            "dashboard, figures kept",
            f"{figures.get('dashboard_kept_ms')} ms, {figures.get('dashboard_kept_queries')} queries",
            "every look after the first since a write",
        ),
        (
            "all tasks (50 a page)",
            f"{figures.get('task_list_ms')} ms, {figures.get('task_list_queries')} queries",
            f"≤ {TARGETS['list_ms']} ms, ≤ {TARGETS['list_queries']}",
        ),
        (
            "my work",
            f"{figures.get('my_work_ms')} ms, {figures.get('my_work_queries')} queries",
            f"≤ {TARGETS['list_ms']} ms, ≤ {TARGETS['list_queries']}",
        ),
        (
            "all tasks, 鄞州 + 滞后",
            f"{figures.get('task_list_filtered_ms')} ms, {figures.get('task_list_filtered_queries')} queries",
            f"≤ {TARGETS['list_filtered_ms']} ms, ≤ {TARGETS['list_queries']}",
        ),
        (
            "task page",
            f"{figures.get('task_page_ms')} ms, {figures.get('task_page_queries')} queries",
            f"≤ {TARGETS['list_ms']} ms, ≤ {TARGETS['list_queries']}",
        ),
        ("dashboard today", f"{figures.get('dashboard_today_ms')} ms", f"≤ {TARGETS['dashboard_ms']} ms"),
        *[
            (
                label,
                f"{figures.get(f'{key}_ms')} ms, {figures.get(f'{key}_queries')} queries "
                f"(SQL alone {figures.get(f'{key}_sql_ms')} ms; {figures.get(f'{key}_count')} tasks)",
                f"≤ {TARGETS['api_tasks_ms']} ms, ≤ {TARGETS['api_tasks_queries']}",
            )
            for label, key in [
                ("/api/tasks/ (50 a page)", "api_tasks"),
                ("/api/tasks/ (200 a page)", "api_tasks_200"),
                ("/api/tasks/ as 鄞州's staff", "api_tasks_staff"),
            ]
        ],
        (
            "report submit / review",
            f"{figures.get('report_submit_ms')} ms ({figures.get('report_submit_queries')} queries) / "
            f"{figures.get('report_review_ms')} ms ({figures.get('report_review_queries')} queries)",
            "≤ 20 ms more than before the kept-up rows",
        ),
        (
            "export",
            f"{figures.get('export_s')} s vs raw {figures.get('export_raw_openpyxl_s')} s",
            f"≤ {TARGETS['export_s']} s; styled floor {figures.get('export_styled_floor_s')} s, "
            f"ratio {figures.get('export_vs_styled')} (≤ {TARGETS['export_vs_styled']})",
        ),
        ("export peak (Python heap)", f"{figures.get('export_peak_mb')} MB", f"≤ {TARGETS['export_peak_mb']} MB"),
        (
            "reminder sweep",
            f"{figures.get('sweep_s')} s, {figures.get('sweep_queries')} queries "
            f"({figures.get('sweep_assignments')} assignments)",
            f"floor {figures.get('sweep_floor_s')} s, ratio {figures.get('sweep_vs_floor')} "
            f"(≤ {TARGETS['sweep_vs_floor']})",
        ),
        ("import 2021 / 500 items", f"{figures.get('import_2021_s')} s / {figures.get('import_500_items_s')} s", ""),
        (
            "dashboard under load",
            f"{figures.get('load_dashboard_rps')} req/s, p95 {figures.get('load_dashboard_p95_ms')} ms",
            f"≥ {TARGETS['load_rps']} req/s, p95 ≤ {TARGETS['load_p95_ms']} ms",
        ),
        (
            "my work under load",
            f"{figures.get('load_my_work_rps')} req/s, p95 {figures.get('load_my_work_p95_ms')} ms",
            "",
        ),
    ]
    print(f"\n{results['engine']}, scale {results['scale']}, {results['cpus']} CPUs")
    for name, value, target in rows:
        print(f"  {name:<28} {value!s:<48} {target}")


if __name__ == "__main__":
    main()
