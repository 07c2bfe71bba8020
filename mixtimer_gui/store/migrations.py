"""Numbered schema migrations. Each step's DDL is frozen here as it was released, so a
database from any earlier version upgrades the same way, whatever the models say today."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from peewee import Database, DatabaseError, PostgresqlDatabase

log = logging.getLogger(__name__)

V1_SCHEMA = """
CREATE TABLE "schema_version" ("version" INTEGER NOT NULL PRIMARY KEY, "applied" INTEGER NOT NULL);
CREATE TABLE "uid_sequence" ("prefix" VARCHAR(16) NOT NULL PRIMARY KEY, "last" INTEGER NOT NULL);
CREATE TABLE "maintenance_object" ("id" INTEGER NOT NULL PRIMARY KEY, "organization_id" VARCHAR(64) NOT NULL, "created" INTEGER NOT NULL, "created_by" INTEGER NOT NULL, "last_modified" INTEGER NOT NULL, "last_modified_by" INTEGER NOT NULL, "uid" VARCHAR(64) NOT NULL, "name" VARCHAR(100) NOT NULL, "alias" VARCHAR(100) NOT NULL, "description" TEXT NOT NULL, "location" VARCHAR(200) NOT NULL);
CREATE UNIQUE INDEX "maintenance_object_uid" ON "maintenance_object" ("uid");
CREATE TABLE "statistic" ("id" INTEGER NOT NULL PRIMARY KEY, "organization_id" VARCHAR(64) NOT NULL, "created" INTEGER NOT NULL, "created_by" INTEGER NOT NULL, "last_modified" INTEGER NOT NULL, "last_modified_by" INTEGER NOT NULL, "uid" VARCHAR(64) NOT NULL, "name" VARCHAR(100) NOT NULL, "alias" VARCHAR(100) NOT NULL, "unit" VARCHAR(20) NOT NULL, "description" TEXT NOT NULL);
CREATE UNIQUE INDEX "statistic_uid" ON "statistic" ("uid");
CREATE TABLE "reading" ("id" INTEGER NOT NULL PRIMARY KEY, "statistics_id" VARCHAR(64) NOT NULL, "time" INTEGER NOT NULL, "value" REAL NOT NULL, "created" INTEGER NOT NULL);
CREATE INDEX "reading_statistics_id_time" ON "reading" ("statistics_id", "time");
CREATE TABLE "project" ("id" INTEGER NOT NULL PRIMARY KEY, "organization_id" VARCHAR(64) NOT NULL, "created" INTEGER NOT NULL, "created_by" INTEGER NOT NULL, "last_modified" INTEGER NOT NULL, "last_modified_by" INTEGER NOT NULL, "uid" VARCHAR(64) NOT NULL, "name" VARCHAR(100) NOT NULL, "alias" VARCHAR(100) NOT NULL, "description" TEXT NOT NULL, "cycle_type" VARCHAR(16) NOT NULL, "statistics_id" VARCHAR(64) NOT NULL, "period_num" INTEGER NOT NULL, "period_unit" VARCHAR(10) NOT NULL, "notice_num" INTEGER NOT NULL, "notice_unit" VARCHAR(4) NOT NULL, "guide" TEXT NOT NULL, "anchor_type" VARCHAR(8) NOT NULL, "is_active" INTEGER NOT NULL);
CREATE UNIQUE INDEX "project_uid" ON "project" ("uid");
CREATE INDEX "project_name" ON "project" ("name");
CREATE TABLE "project_object" ("id" INTEGER NOT NULL PRIMARY KEY, "project_id" VARCHAR(64) NOT NULL, "object_id" VARCHAR(64) NOT NULL, "position" INTEGER NOT NULL);
CREATE INDEX "project_object_object_id" ON "project_object" ("object_id");
CREATE UNIQUE INDEX "project_object_project_id_object_id" ON "project_object" ("project_id", "object_id");
CREATE TABLE "task" ("id" INTEGER NOT NULL PRIMARY KEY, "organization_id" VARCHAR(64) NOT NULL, "created" INTEGER NOT NULL, "created_by" INTEGER NOT NULL, "last_modified" INTEGER NOT NULL, "last_modified_by" INTEGER NOT NULL, "uid" VARCHAR(64) NOT NULL, "project_id" VARCHAR(64) NOT NULL, "object_id" VARCHAR(64) NOT NULL, "description" TEXT NOT NULL, "cycle_start" INTEGER, "grid_anchor" INTEGER, "cycle_index" INTEGER NOT NULL, "due_at" INTEGER, "notice_at" INTEGER, "start_value" REAL, "base_value" REAL, "due_value" REAL, "last_handle_at" INTEGER);
CREATE UNIQUE INDEX "task_uid" ON "task" ("uid");
CREATE INDEX "task_project_id" ON "task" ("project_id");
CREATE INDEX "task_object_id" ON "task" ("object_id");
CREATE INDEX "task_due_at" ON "task" ("due_at");
CREATE TABLE "handle" ("id" INTEGER NOT NULL PRIMARY KEY, "organization_id" VARCHAR(64) NOT NULL, "created" INTEGER NOT NULL, "created_by" INTEGER NOT NULL, "last_modified" INTEGER NOT NULL, "last_modified_by" INTEGER NOT NULL, "uid" VARCHAR(64) NOT NULL, "task_id" VARCHAR(64) NOT NULL, "project_id" VARCHAR(64) NOT NULL, "project_name" VARCHAR(100) NOT NULL, "project_alias" VARCHAR(100) NOT NULL, "object_id" VARCHAR(64) NOT NULL, "object_name" VARCHAR(100) NOT NULL, "object_alias" VARCHAR(100) NOT NULL, "description" TEXT NOT NULL, "handler_id_list" TEXT NOT NULL, "handler_name_list" TEXT NOT NULL, "fee" REAL NOT NULL, "result" TEXT NOT NULL, "images" TEXT NOT NULL, "is_ignored" INTEGER NOT NULL, "due_at" INTEGER);
CREATE UNIQUE INDEX "handle_uid" ON "handle" ("uid");
CREATE INDEX "handle_task_id" ON "handle" ("task_id");
CREATE INDEX "handle_object_id" ON "handle" ("object_id");
CREATE INDEX "handle_created" ON "handle" ("created");
CREATE INDEX "handle_project_id_created" ON "handle" ("project_id", "created");
CREATE TABLE "handle_handler" ("id" INTEGER NOT NULL PRIMARY KEY, "handle_rowid" INTEGER NOT NULL, "handler_id" INTEGER, "handler_name" VARCHAR(200) NOT NULL);
CREATE INDEX "handle_handler_handler_id_handle_rowid" ON "handle_handler" ("handler_id", "handle_rowid");
CREATE INDEX "handle_handler_handler_name_handle_rowid" ON "handle_handler" ("handler_name", "handle_rowid");
CREATE INDEX "handle_handler_handle_rowid" ON "handle_handler" ("handle_rowid");
CREATE TABLE "handler" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(200) NOT NULL, "created" INTEGER NOT NULL);
"""

# v2: fixed-plan bookkeeping on handles, persisted settings, and the reminder log.
V2_SCHEMA = """
ALTER TABLE "handle" ADD COLUMN "skipped_cycles" INTEGER NOT NULL DEFAULT 0;
CREATE TABLE "setting" ("key" VARCHAR(64) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
CREATE TABLE "reminder_log" ("id" INTEGER NOT NULL PRIMARY KEY, "task_id" VARCHAR(64) NOT NULL, "cycle_start" INTEGER NOT NULL, "kind" VARCHAR(8) NOT NULL, "seq" INTEGER NOT NULL, "due_at" INTEGER, "fired_at" INTEGER NOT NULL, "project_id" VARCHAR(64) NOT NULL, "project_name" VARCHAR(100) NOT NULL, "object_id" VARCHAR(64) NOT NULL, "object_name" VARCHAR(100) NOT NULL, "is_read" INTEGER NOT NULL);
CREATE INDEX "reminder_log_fired_at" ON "reminder_log" ("fired_at");
CREATE UNIQUE INDEX "reminder_log_task_id_cycle_start_kind_seq" ON "reminder_log" ("task_id", "cycle_start", "kind", "seq");
"""

# The same steps for PostgreSQL (team mode). Written for what SQLite does implicitly: an
# ``INTEGER PRIMARY KEY`` auto-numbers (→ identity column; handler ids come from clients, so
# theirs is a plain key), INTEGER is 64-bit (→ BIGINT: epoch seconds pass 2^31 in 2038),
# REAL is 8 bytes (→ DOUBLE PRECISION), and VARCHAR(n) is not enforced (→ TEXT: the field
# rules in domain/ hold the limits, so both engines accept the same rows).
V1_POSTGRES = """
CREATE TABLE "schema_version" ("version" BIGINT NOT NULL PRIMARY KEY, "applied" BIGINT NOT NULL);
CREATE TABLE "uid_sequence" ("prefix" TEXT NOT NULL PRIMARY KEY, "last" BIGINT NOT NULL);
CREATE TABLE "maintenance_object" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "organization_id" TEXT NOT NULL, "created" BIGINT NOT NULL, "created_by" BIGINT NOT NULL, "last_modified" BIGINT NOT NULL, "last_modified_by" BIGINT NOT NULL, "uid" TEXT NOT NULL, "name" TEXT NOT NULL, "alias" TEXT NOT NULL, "description" TEXT NOT NULL, "location" TEXT NOT NULL);
CREATE UNIQUE INDEX "maintenance_object_uid" ON "maintenance_object" ("uid");
CREATE TABLE "statistic" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "organization_id" TEXT NOT NULL, "created" BIGINT NOT NULL, "created_by" BIGINT NOT NULL, "last_modified" BIGINT NOT NULL, "last_modified_by" BIGINT NOT NULL, "uid" TEXT NOT NULL, "name" TEXT NOT NULL, "alias" TEXT NOT NULL, "unit" TEXT NOT NULL, "description" TEXT NOT NULL);
CREATE UNIQUE INDEX "statistic_uid" ON "statistic" ("uid");
CREATE TABLE "reading" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "statistics_id" TEXT NOT NULL, "time" BIGINT NOT NULL, "value" DOUBLE PRECISION NOT NULL, "created" BIGINT NOT NULL);
CREATE INDEX "reading_statistics_id_time" ON "reading" ("statistics_id", "time");
CREATE TABLE "project" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "organization_id" TEXT NOT NULL, "created" BIGINT NOT NULL, "created_by" BIGINT NOT NULL, "last_modified" BIGINT NOT NULL, "last_modified_by" BIGINT NOT NULL, "uid" TEXT NOT NULL, "name" TEXT NOT NULL, "alias" TEXT NOT NULL, "description" TEXT NOT NULL, "cycle_type" TEXT NOT NULL, "statistics_id" TEXT NOT NULL, "period_num" BIGINT NOT NULL, "period_unit" TEXT NOT NULL, "notice_num" BIGINT NOT NULL, "notice_unit" TEXT NOT NULL, "guide" TEXT NOT NULL, "anchor_type" TEXT NOT NULL, "is_active" BIGINT NOT NULL);
CREATE UNIQUE INDEX "project_uid" ON "project" ("uid");
CREATE INDEX "project_name" ON "project" ("name");
CREATE TABLE "project_object" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "project_id" TEXT NOT NULL, "object_id" TEXT NOT NULL, "position" BIGINT NOT NULL);
CREATE INDEX "project_object_object_id" ON "project_object" ("object_id");
CREATE UNIQUE INDEX "project_object_project_id_object_id" ON "project_object" ("project_id", "object_id");
CREATE TABLE "task" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "organization_id" TEXT NOT NULL, "created" BIGINT NOT NULL, "created_by" BIGINT NOT NULL, "last_modified" BIGINT NOT NULL, "last_modified_by" BIGINT NOT NULL, "uid" TEXT NOT NULL, "project_id" TEXT NOT NULL, "object_id" TEXT NOT NULL, "description" TEXT NOT NULL, "cycle_start" BIGINT, "grid_anchor" BIGINT, "cycle_index" BIGINT NOT NULL, "due_at" BIGINT, "notice_at" BIGINT, "start_value" DOUBLE PRECISION, "base_value" DOUBLE PRECISION, "due_value" DOUBLE PRECISION, "last_handle_at" BIGINT);
CREATE UNIQUE INDEX "task_uid" ON "task" ("uid");
CREATE INDEX "task_project_id" ON "task" ("project_id");
CREATE INDEX "task_object_id" ON "task" ("object_id");
CREATE INDEX "task_due_at" ON "task" ("due_at");
CREATE TABLE "handle" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "organization_id" TEXT NOT NULL, "created" BIGINT NOT NULL, "created_by" BIGINT NOT NULL, "last_modified" BIGINT NOT NULL, "last_modified_by" BIGINT NOT NULL, "uid" TEXT NOT NULL, "task_id" TEXT NOT NULL, "project_id" TEXT NOT NULL, "project_name" TEXT NOT NULL, "project_alias" TEXT NOT NULL, "object_id" TEXT NOT NULL, "object_name" TEXT NOT NULL, "object_alias" TEXT NOT NULL, "description" TEXT NOT NULL, "handler_id_list" TEXT NOT NULL, "handler_name_list" TEXT NOT NULL, "fee" DOUBLE PRECISION NOT NULL, "result" TEXT NOT NULL, "images" TEXT NOT NULL, "is_ignored" BIGINT NOT NULL, "due_at" BIGINT);
CREATE UNIQUE INDEX "handle_uid" ON "handle" ("uid");
CREATE INDEX "handle_task_id" ON "handle" ("task_id");
CREATE INDEX "handle_object_id" ON "handle" ("object_id");
CREATE INDEX "handle_created" ON "handle" ("created");
CREATE INDEX "handle_project_id_created" ON "handle" ("project_id", "created");
CREATE TABLE "handle_handler" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "handle_rowid" BIGINT NOT NULL, "handler_id" BIGINT, "handler_name" TEXT NOT NULL);
CREATE INDEX "handle_handler_handler_id_handle_rowid" ON "handle_handler" ("handler_id", "handle_rowid");
CREATE INDEX "handle_handler_handler_name_handle_rowid" ON "handle_handler" ("handler_name", "handle_rowid");
CREATE INDEX "handle_handler_handle_rowid" ON "handle_handler" ("handle_rowid");
CREATE TABLE "handler" ("id" BIGINT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "created" BIGINT NOT NULL);
"""

V2_POSTGRES = """
ALTER TABLE "handle" ADD COLUMN "skipped_cycles" BIGINT NOT NULL DEFAULT 0;
CREATE TABLE "setting" ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
CREATE TABLE "reminder_log" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "task_id" TEXT NOT NULL, "cycle_start" BIGINT NOT NULL, "kind" TEXT NOT NULL, "seq" BIGINT NOT NULL, "due_at" BIGINT, "fired_at" BIGINT NOT NULL, "project_id" TEXT NOT NULL, "project_name" TEXT NOT NULL, "object_id" TEXT NOT NULL, "object_name" TEXT NOT NULL, "is_read" BIGINT NOT NULL);
CREATE INDEX "reminder_log_fired_at" ON "reminder_log" ("fired_at");
CREATE UNIQUE INDEX "reminder_log_task_id_cycle_start_kind_seq" ON "reminder_log" ("task_id", "cycle_start", "kind", "seq");
"""

# v6 (team mode, #16): attached images in the database, so every workstation sees them.
# Keyed by the stored name (content hash + extension): the same picture is kept once.
V6_SCHEMA = """
CREATE TABLE "image" ("name" VARCHAR(64) NOT NULL PRIMARY KEY, "data" BLOB NOT NULL, "size" INTEGER NOT NULL, "created" INTEGER NOT NULL);
"""

V6_POSTGRES = """
CREATE TABLE "image" ("name" TEXT NOT NULL PRIMARY KEY, "data" BYTEA NOT NULL, "size" BIGINT NOT NULL, "created" BIGINT NOT NULL);
"""


# v7 (#21, ten million handles): the person filter's side table carries the handle's time,
# so "this person's newest handles" is an index range read in order (proportional to the
# page, not to the person's matches); a version per table, bumped in the writing transaction
# by triggers, so a count is reused while nothing it reads has changed; and a search index.
# SQLite: an FTS5 trigram table, contentless (rowid = handle.id; the text stays in
# ``handle``), each value indexed with a trailing U+001F so every two-character substring
# starts some trigram (Chinese words are mostly two characters: the prefix of the trigrams
# finds them). Triggers keep it in step with every INSERT, UPDATE and DELETE of ``handle``.
# PostgreSQL: pg_trgm GIN indexes (the index is part of the table: always in step).
DATA_VERSION_TABLES = ("maintenance_object", "statistic", "reading", "project",
                       "project_object", "task", "handle", "handle_handler", "handler",
                       "reminder_log")
SEARCH_COLUMNS = ("description", "result", "object_name", "project_name")
SEARCH_MARK = "char(31)"

_V7_COMMON = """
CREATE TABLE "data_version" ("name" VARCHAR(64) NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL);
"""


def _fts_values(row: str) -> str:
    return ", ".join(f'{row}."{c}" || {SEARCH_MARK}' for c in SEARCH_COLUMNS)


_FTS_NAMES = ", ".join(f'"{c}"' for c in SEARCH_COLUMNS)

V7_SCHEMA = (
    'ALTER TABLE "handle_handler" ADD COLUMN "created" INTEGER NOT NULL DEFAULT 0;\n'
    'UPDATE "handle_handler" SET "created" = (SELECT "created" FROM "handle" '
    'WHERE "handle"."id" = "handle_handler"."handle_rowid");\n'
    'CREATE INDEX "handle_handler_handler_id_created_handle_rowid" ON "handle_handler" '
    '("handler_id", "created", "handle_rowid");\n'
    + _V7_COMMON.strip() + "\n"
    + "".join(f'INSERT INTO "data_version" ("name", "version") VALUES (\'{t}\', 0);\n'
              for t in DATA_VERSION_TABLES)
    + "".join(f'CREATE TRIGGER "data_version_{t}_{e.lower()}" AFTER {e} ON "{t}" BEGIN '
              f'UPDATE "data_version" SET "version" = "version" + 1 WHERE "name" = \'{t}\'; '
              "END;\n"
              for t in DATA_VERSION_TABLES for e in ("INSERT", "UPDATE", "DELETE"))
    + f'CREATE VIRTUAL TABLE "handle_fts" USING fts5({_FTS_NAMES}, content=\'\', '
    "tokenize=\'trigram\');\n"
    'CREATE VIRTUAL TABLE "handle_fts_terms" USING fts5vocab("handle_fts", \'row\');\n'
    f'CREATE TRIGGER "handle_fts_insert" AFTER INSERT ON "handle" BEGIN '
    f'INSERT INTO "handle_fts" ("rowid", {_FTS_NAMES}) VALUES (new."id", {_fts_values("new")}); '
    "END;\n"
    # Any UPDATE, whichever columns it names (a void, a correction, a rename of the copies):
    # the old entry out, the new one in. A contentless table forgets a row only when given
    # the values it was indexed with, which OLD still holds.
    f'CREATE TRIGGER "handle_fts_update" AFTER UPDATE ON "handle" WHEN '
    + " OR ".join(f'old."{c}" IS NOT new."{c}"' for c in SEARCH_COLUMNS) + " BEGIN "
    f'INSERT INTO "handle_fts" ("handle_fts", "rowid", {_FTS_NAMES}) '
    f"VALUES (\'delete\', old.\"id\", {_fts_values('old')}); "
    f'INSERT INTO "handle_fts" ("rowid", {_FTS_NAMES}) VALUES (new."id", {_fts_values("new")}); '
    "END;\n"
    f'CREATE TRIGGER "handle_fts_delete" AFTER DELETE ON "handle" BEGIN '
    f'INSERT INTO "handle_fts" ("handle_fts", "rowid", {_FTS_NAMES}) '
    f"VALUES (\'delete\', old.\"id\", {_fts_values('old')}); "
    "END;\n"
)

V7_POSTGRES = (
    'ALTER TABLE "handle_handler" ADD COLUMN "created" BIGINT NOT NULL DEFAULT 0;\n'
    'UPDATE "handle_handler" SET "created" = "handle"."created" FROM "handle" '
    'WHERE "handle"."id" = "handle_handler"."handle_rowid";\n'
    'CREATE INDEX "handle_handler_handler_id_created_handle_rowid" ON "handle_handler" '
    '("handler_id", "created", "handle_rowid");\n'
    'CREATE TABLE "data_version" ("name" TEXT NOT NULL PRIMARY KEY, "version" BIGINT NOT NULL);\n'
    + "".join(f'INSERT INTO "data_version" ("name", "version") VALUES (\'{t}\', 0);\n'
              for t in DATA_VERSION_TABLES)
    # One bump per statement: a bulk statement costs one row update, not one per row.
    + 'CREATE FUNCTION "mixtimer_bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS '
    "$$ BEGIN UPDATE \"data_version\" SET \"version\" = \"version\" + 1 "
    "WHERE \"name\" = TG_TABLE_NAME; RETURN NULL; END $$;\n"
    + "".join(f'CREATE TRIGGER "data_version_{t}" AFTER INSERT OR UPDATE OR DELETE ON "{t}" '
              'FOR EACH STATEMENT EXECUTE FUNCTION "mixtimer_bump_data_version"();\n'
              for t in DATA_VERSION_TABLES)
)

# pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it
# without a superuser. Where it cannot be had, the search still answers (a scan).
V7_POSTGRES_TRGM = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
    'CREATE INDEX "handle_search_trgm" ON "handle" USING gin ('
    + ", ".join(f'"{c}" gin_trgm_ops' for c in SEARCH_COLUMNS) + ");\n"
)

# Rows indexed per statement while a migration builds the search index: one progress report
# each, and no single statement holds the whole table's terms in memory.
SEARCH_BUILD_CHUNK = 50_000  # ~1.5 s at a time: the window's Quit waits no longer

MigrationProgress = Callable[[str, int, int], None]


def _statements(script: str) -> list[str]:
    return [s for s in script.split(";\n") if s.strip()]


def build_search_index(db: Database, progress: MigrationProgress | None = None) -> None:
    """Index every existing handle (SQLite), in id ranges, reporting (what, done, total)."""
    top = db.execute_sql('SELECT MAX("id") FROM "handle"').fetchone()[0] or 0
    for low in range(0, int(top), SEARCH_BUILD_CHUNK):
        high = min(low + SEARCH_BUILD_CHUNK, int(top))
        db.execute_sql(f'INSERT INTO "handle_fts" ("rowid", {_FTS_NAMES}) '
                       f'SELECT "id", {_fts_values("handle")} FROM "handle" '
                       f'WHERE "id" > {int(low)} AND "id" <= {int(high)}')
        if progress is not None:
            progress("search_index", high, int(top))
        log.info("search index: %d of %d handles", high, top)


def _v7(db: Database, progress: MigrationProgress | None = None) -> None:
    if is_postgres(db):
        for statement in _statements(V7_POSTGRES):
            db.execute_sql(statement)
        _try_trigram_index(db)
        return
    for statement in _statements(V7_SCHEMA):
        db.execute_sql(statement)
    build_search_index(db, progress)


def _try_trigram_index(db: Database) -> None:
    available = db.execute_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone()
    if not available:
        log.warning("pg_trgm is not installed on the server: text search scans the handles")
        return
    db.execute_sql("SAVEPOINT mixtimer_trgm")
    try:
        for statement in _statements(V7_POSTGRES_TRGM):
            db.execute_sql(statement)
    except DatabaseError as exc:  # no right to create it: the search still works
        db.execute_sql("ROLLBACK TO SAVEPOINT mixtimer_trgm")
        log.warning("no trigram index for text search (%s): it scans the handles", exc)
    db.execute_sql("RELEASE SAVEPOINT mixtimer_trgm")


# v8 (#15): corrections and history. ``handled_at`` (when the work was done; old rows: when
# they were written), voids with who/when/why and the task's cycle state before the handle
# (``prior_state``, JSON) so a void restores it exactly; the change history (操作日志).
V8_SCHEMA = """
ALTER TABLE "handle" ADD COLUMN "handled_at" INTEGER;
UPDATE "handle" SET "handled_at" = "created";
ALTER TABLE "handle" ADD COLUMN "is_voided" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "handle" ADD COLUMN "void_reason" TEXT NOT NULL DEFAULT '';
ALTER TABLE "handle" ADD COLUMN "voided_at" INTEGER;
ALTER TABLE "handle" ADD COLUMN "voided_by" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "handle" ADD COLUMN "prior_state" TEXT NOT NULL DEFAULT '';
CREATE INDEX "handle_task_id_handled_at" ON "handle" ("task_id", "handled_at");
CREATE INDEX "handle_is_voided" ON "handle" ("is_voided");
CREATE TABLE "history" ("id" INTEGER NOT NULL PRIMARY KEY, "time" INTEGER NOT NULL, "operator_id" INTEGER NOT NULL, "operator_name" VARCHAR(200) NOT NULL, "source" VARCHAR(16) NOT NULL, "action" VARCHAR(64) NOT NULL, "entity" VARCHAR(16) NOT NULL, "entity_uid" VARCHAR(64) NOT NULL, "changes" TEXT NOT NULL);
CREATE INDEX "history_time" ON "history" ("time");
CREATE INDEX "history_entity_uid_time" ON "history" ("entity_uid", "time");
"""

V8_POSTGRES = """
ALTER TABLE "handle" ADD COLUMN "handled_at" BIGINT;
UPDATE "handle" SET "handled_at" = "created";
ALTER TABLE "handle" ADD COLUMN "is_voided" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "handle" ADD COLUMN "void_reason" TEXT NOT NULL DEFAULT '';
ALTER TABLE "handle" ADD COLUMN "voided_at" BIGINT;
ALTER TABLE "handle" ADD COLUMN "voided_by" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "handle" ADD COLUMN "prior_state" TEXT NOT NULL DEFAULT '';
CREATE INDEX "handle_task_id_handled_at" ON "handle" ("task_id", "handled_at");
CREATE INDEX "handle_is_voided" ON "handle" ("is_voided");
CREATE TABLE "history" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "time" BIGINT NOT NULL, "operator_id" BIGINT NOT NULL, "operator_name" TEXT NOT NULL, "source" TEXT NOT NULL, "action" TEXT NOT NULL, "entity" TEXT NOT NULL, "entity_uid" TEXT NOT NULL, "changes" TEXT NOT NULL);
CREATE INDEX "history_time" ON "history" ("time");
CREATE INDEX "history_entity_uid_time" ON "history" ("entity_uid", "time");
"""

# v9 (#17): whichever-first cycles and checklists. Every column has a default, so the rows
# of earlier versions stay as they were and read as before: no meter interval, no
# checklist, no results, not abnormal; a task's stored moments are those of its own type.
V9_SCHEMA = """
ALTER TABLE "project" ADD COLUMN "statistics_period_num" REAL NOT NULL DEFAULT 0;
ALTER TABLE "project" ADD COLUMN "checklist" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "task" ADD COLUMN "time_due_at" INTEGER;
ALTER TABLE "task" ADD COLUMN "due_value_at" INTEGER;
ALTER TABLE "task" ADD COLUMN "due_by" VARCHAR(4) NOT NULL DEFAULT '';
ALTER TABLE "handle" ADD COLUMN "checklist_results" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "handle" ADD COLUMN "is_abnormal" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "reminder_log" ADD COLUMN "due_by" VARCHAR(4) NOT NULL DEFAULT '';
"""

V9_POSTGRES = """
ALTER TABLE "project" ADD COLUMN "statistics_period_num" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "project" ADD COLUMN "checklist" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "task" ADD COLUMN "time_due_at" BIGINT;
ALTER TABLE "task" ADD COLUMN "due_value_at" BIGINT;
ALTER TABLE "task" ADD COLUMN "due_by" TEXT NOT NULL DEFAULT '';
ALTER TABLE "handle" ADD COLUMN "checklist_results" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "handle" ADD COLUMN "is_abnormal" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "reminder_log" ADD COLUMN "due_by" TEXT NOT NULL DEFAULT '';
"""


# v10 (#18): notification channels, the outbox written with the reminder log, and each
# delivery attempt (the 投递记录 view and the services' rate limits, shared by a team).
V10_SCHEMA = """
CREATE TABLE "notify_channel" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(100) NOT NULL, "kind" VARCHAR(16) NOT NULL, "settings" TEXT NOT NULL, "kinds" TEXT NOT NULL, "projects" TEXT NOT NULL, "template" TEXT NOT NULL, "is_active" INTEGER NOT NULL, "created" INTEGER NOT NULL, "last_modified" INTEGER NOT NULL);
CREATE TABLE "notify_outbox" ("id" INTEGER NOT NULL PRIMARY KEY, "channel_id" INTEGER NOT NULL, "task_id" VARCHAR(64) NOT NULL, "cycle_start" INTEGER NOT NULL, "kind" VARCHAR(8) NOT NULL, "seq" INTEGER NOT NULL, "payload" TEXT NOT NULL, "created" INTEGER NOT NULL, "status" VARCHAR(8) NOT NULL, "attempts" INTEGER NOT NULL, "next_attempt_at" INTEGER NOT NULL, "claimed_by" VARCHAR(64), "claimed_at" INTEGER, "answer" TEXT NOT NULL, "sent_at" INTEGER);
CREATE UNIQUE INDEX "notify_outbox_channel_id_task_id_cycle_start_kind_seq" ON "notify_outbox" ("channel_id", "task_id", "cycle_start", "kind", "seq");
CREATE INDEX "notify_outbox_status_next_attempt_at" ON "notify_outbox" ("status", "next_attempt_at");
CREATE TABLE "notify_attempt" ("id" INTEGER NOT NULL PRIMARY KEY, "channel_id" INTEGER NOT NULL, "at" INTEGER NOT NULL, "ok" INTEGER NOT NULL, "rows" INTEGER NOT NULL, "answer" TEXT NOT NULL);
CREATE INDEX "notify_attempt_channel_id_at" ON "notify_attempt" ("channel_id", "at");
"""

V10_POSTGRES = """
CREATE TABLE "notify_channel" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" TEXT NOT NULL, "kind" TEXT NOT NULL, "settings" TEXT NOT NULL, "kinds" TEXT NOT NULL, "projects" TEXT NOT NULL, "template" TEXT NOT NULL, "is_active" BIGINT NOT NULL, "created" BIGINT NOT NULL, "last_modified" BIGINT NOT NULL);
CREATE TABLE "notify_outbox" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "channel_id" BIGINT NOT NULL, "task_id" TEXT NOT NULL, "cycle_start" BIGINT NOT NULL, "kind" TEXT NOT NULL, "seq" BIGINT NOT NULL, "payload" TEXT NOT NULL, "created" BIGINT NOT NULL, "status" TEXT NOT NULL, "attempts" BIGINT NOT NULL, "next_attempt_at" BIGINT NOT NULL, "claimed_by" TEXT, "claimed_at" BIGINT, "answer" TEXT NOT NULL, "sent_at" BIGINT);
CREATE UNIQUE INDEX "notify_outbox_channel_id_task_id_cycle_start_kind_seq" ON "notify_outbox" ("channel_id", "task_id", "cycle_start", "kind", "seq");
CREATE INDEX "notify_outbox_status_next_attempt_at" ON "notify_outbox" ("status", "next_attempt_at");
CREATE TABLE "notify_attempt" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "channel_id" BIGINT NOT NULL, "at" BIGINT NOT NULL, "ok" BIGINT NOT NULL, "rows" BIGINT NOT NULL, "answer" TEXT NOT NULL);
CREATE INDEX "notify_attempt_channel_id_at" ON "notify_attempt" ("channel_id", "at");
"""

# v11 (#16, team mode): read state per operator. A row = this operator has read that logged
# reminder. ``reminder_log.is_read`` keeps its meaning of read for everyone: the marks made
# before this step (one workstation, one reader) and the cycles that ended stay read for
# every operator, and an older program that marks a reminder read still hides it.
V11_SCHEMA = """
CREATE TABLE "reminder_read" ("id" INTEGER NOT NULL PRIMARY KEY, "log_id" INTEGER NOT NULL, "operator_id" INTEGER NOT NULL, "read_at" INTEGER NOT NULL);
CREATE UNIQUE INDEX "reminder_read_operator_id_log_id" ON "reminder_read" ("operator_id", "log_id");
"""

V11_POSTGRES = """
CREATE TABLE "reminder_read" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "log_id" BIGINT NOT NULL, "operator_id" BIGINT NOT NULL, "read_at" BIGINT NOT NULL);
CREATE UNIQUE INDEX "reminder_read_operator_id_log_id" ON "reminder_read" ("operator_id", "log_id");
"""


def is_postgres(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


def _run_script(sqlite: str, postgres: str) -> Callable[[Database], None]:
    """One step: the engine's own frozen text, statement by statement."""

    def apply(db: Database) -> None:
        script = postgres if is_postgres(db) else sqlite
        for statement in script.split(";\n"):
            if statement.strip():
                db.execute_sql(statement)

    return apply


MIGRATIONS: list[tuple[int, Callable[[Database], None]]] = [
    (1, _run_script(V1_SCHEMA, V1_POSTGRES)),
    (2, _run_script(V2_SCHEMA, V2_POSTGRES)),
    (6, _run_script(V6_SCHEMA, V6_POSTGRES)),
    (7, _v7),
    # Steps are applied in this order to every database whose version is below theirs.
    # 3, 4 and 5 were given up front to branches that landed after 7 was released: they
    # run as 8, 9 and 10, so a database already at 7 still gains them.
    (8, _run_script(V8_SCHEMA, V8_POSTGRES)),
    (9, _run_script(V9_SCHEMA, V9_POSTGRES)),
    (10, _run_script(V10_SCHEMA, V10_POSTGRES)),
    (11, _run_script(V11_SCHEMA, V11_POSTGRES)),
]

LATEST_VERSION = MIGRATIONS[-1][0]

# Team mode: the oldest program that may write to a database migrated by this one. Every
# step so far is additive (new tables, new columns with defaults), so a program that knows
# fewer steps still writes rows the newer one reads right. A step that changes what a write
# must do (a new rule kept in a column older programs do not fill) raises this to the
# version that brings that step; older workstations then open the database read-only and
# say which version to install. Stored in ``setting`` under ``MIN_CLIENT_KEY``.
MIN_CLIENT_VERSION = "0.1.0"
MIN_CLIENT_KEY = "min_client_version"


def migrate(db: Database, current: int, progress: MigrationProgress | None = None) -> None:
    """Apply the steps after version ``current``, each with its version row in one
    transaction (a savepoint when the caller holds one: PostgreSQL migrates inside the
    transaction that holds its migration lock). Plain SQL, not the SchemaVersion model: a
    restore upgrades a copy through a database no models are bound to.

    ``progress(what, done, total)`` hears each step begin (``"step"``, its number, the
    latest) and the search index grow (``"search_index"``, handles, highest id). An
    exception it raises stops the upgrade: the step under way rolls back."""
    mark = db.param
    for number, step in MIGRATIONS:
        if number <= current:
            continue
        if progress is not None:  # also where a caller's progress may stop the upgrade
            progress("step", number, LATEST_VERSION)
        with db.atomic():
            if step is _v7:
                _v7(db, progress)
            else:
                step(db)
            db.execute_sql(f'INSERT INTO "schema_version" ("version", "applied") '
                           f"VALUES ({mark}, {mark})", (number, int(time.time())))
            if not is_postgres(db):
                db.execute_sql(f"PRAGMA user_version = {int(number)}")
