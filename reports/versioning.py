"""The figures' version: a number that changes when, and only when, a write the figures could read commits.

reports.figures_cache keys kept dashboards and list matches on it. PostgreSQL
only: a statement-level trigger on every table but the quiet ones (sessions,
logins, the bell, logs, API token use, import drafts, history copies: written
all day, never read by a figure) sets a slot of reports.models.FiguresVersion
to the next value of a sequence, inside the writer's transaction. So:

- the sum over the slots grows at every commit that wrote such a table, and a
  reader sees the new sum exactly when it can see the new rows;
- a session renewed or a notification read leaves it alone, so a busy office's
  signed-in users do not throw away each other's kept figures;
- writers never wait for one another on it: each takes a slot no one else has
  locked (FOR UPDATE SKIP LOCKED), a new slot when all are taken (a
  REPEATABLE READ or SERIALIZABLE writer always takes a new one).

install_version_triggers runs after every migrate (reports.apps), so a table a
later migration adds is covered without anyone remembering it.
"""

from django.db import connections

# Tables written on every request or in the background and never read by a figure: their writes keep the version.
QUIET_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "django_migrations",
        "departments_user",  # last_login; the role and department a list depends on are in its key
        "api_apitoken",  # last used
        "reports_notification",  # the bell
        "reports_reminderlog",
        "reminders_channelmessage",
        "reminders_calendartoken",
        "tasks_importdraft",  # an import's preview; the import itself writes tasks
        "reports_figuresversion",
    }
)
QUIET_PREFIXES = ("axes_",)  # sign-in attempts and access logs
QUIET_MARKERS = ("historical",)  # django-simple-history's copies, written beside the rows they copy

_SETUP = (
    "CREATE SEQUENCE IF NOT EXISTS figures_version_seq",
    """
CREATE OR REPLACE FUNCTION figures_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    slot bigint;
BEGIN
    IF current_setting('transaction_isolation') = 'read committed' THEN
        SELECT id INTO slot FROM reports_figuresversion ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
    ELSE
        -- REPEATABLE READ or SERIALIZABLE may not update a slot another transaction wrote since it began:
        -- it writes its own slot (added on its first write, found again by its xmin on the next).
        SELECT id INTO slot FROM reports_figuresversion WHERE xmin = pg_current_xact_id()::xid LIMIT 1;
    END IF;
    IF slot IS NULL THEN
        INSERT INTO reports_figuresversion (version) VALUES (nextval('figures_version_seq'));
    ELSE
        UPDATE reports_figuresversion SET version = nextval('figures_version_seq') WHERE id = slot;
    END IF;
    RETURN NULL;
END
$$
""",
    # A first slot, so figures are kept from the first look after a migrate.
    """
INSERT INTO reports_figuresversion (version)
    SELECT nextval('figures_version_seq') WHERE NOT EXISTS (SELECT 1 FROM reports_figuresversion)
""",
)


def is_quiet(table: str) -> bool:
    """Whether writes to ``table`` leave the figures' version alone (QUIET_TABLES and the patterns after it)."""
    return table in QUIET_TABLES or table.startswith(QUIET_PREFIXES) or any(m in table for m in QUIET_MARKERS)


def install_version_triggers(using: str = "default", **kwargs) -> list[str]:
    """Create or replace the version trigger on every table of ``using`` but the quiet ones; returns their names.

    Also writes a first slot, so figures are kept from the first look after a migrate. Idempotent;
    connected to post_migrate (reports.apps). Does nothing (returns []) on databases other than PostgreSQL,
    where figures are not kept (reports.figures_cache.enabled).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    tables = [t for t in connection.introspection.table_names(include_views=False) if not is_quiet(t)]
    with connection.cursor() as cursor:
        for statement in _SETUP:  # one statement per call: psycopg sends each as its own prepared statement
            cursor.execute(statement)
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER figures_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {quoted} FOR EACH STATEMENT EXECUTE FUNCTION figures_version_bump()"
            )
    return tables


def figures_version(using: str = "default") -> str | None:
    """The version as "database.sequence:slots:sum" as this connection sees it, or None while there is no slot
    (nothing may be kept under it: a database emptied by TRUNCATE would read the same). One query.

    The object ids of the database and of the sequence tell apart two databases, or one restored from a dump
    (pg_restore creates both afresh, and its sequence starts again from the dump's values).
    """
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT oid FROM pg_database WHERE datname = current_database()),"
            " 'figures_version_seq'::regclass::oid, count(*), coalesce(sum(version), 0) FROM reports_figuresversion"
        )
        database, sequence, slots, total = cursor.fetchone()
    return f"{database}.{sequence}:{slots}:{total}" if slots else None
