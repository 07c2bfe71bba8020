"""Tables. Moments are UTC epoch seconds (``int``); uids are the keys clients see.

Handles are history: they keep copies of the project and object names they were written with
and have no foreign key to projects, tasks or objects, so deleting those never touches them.

The model classes here are definitions bound to no database. ``Store(db)`` makes the set
that queries one opened database: a subclass of each model with that database in its
``Meta``, so two databases can be used side by side in one process (and on one thread).
Everything that queries reaches the models through its ``Store``.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

from peewee import (
    AutoField,
    BlobField,
    CharField,
    Database,
    FloatField,
    IntegerField,
    Model,
    TextField,
)

from mixtimer_gui.store import errors, postgres
from mixtimer_gui.store.postgres import TeamDatabase


class BaseModel(Model):
    class Meta:
        legacy_table_names = False


class AuditedModel(BaseModel):
    organization_id = CharField(max_length=64, default="")
    created = IntegerField()
    created_by = IntegerField(default=0)
    last_modified = IntegerField()
    last_modified_by = IntegerField(default=0)


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    applied = IntegerField()


class UidSequence(BaseModel):
    prefix = CharField(primary_key=True, max_length=16)
    last = IntegerField(default=0)


class Setting(BaseModel):
    key = CharField(primary_key=True, max_length=64)
    value = TextField(default="")


class MaintenanceObject(AuditedModel):
    id = AutoField()
    uid = CharField(max_length=64, unique=True)
    name = CharField(max_length=100)
    alias = CharField(max_length=100, default="")
    description = TextField(default="")
    location = CharField(max_length=200, default="")

    class Meta:
        table_name = "maintenance_object"


class Statistic(AuditedModel):
    id = AutoField()
    uid = CharField(max_length=64, unique=True)
    name = CharField(max_length=100)
    alias = CharField(max_length=100, default="")
    unit = CharField(max_length=20, default="")
    description = TextField(default="")


class Reading(BaseModel):
    id = AutoField()
    statistics_id = CharField(max_length=64)
    time = IntegerField()
    value = FloatField()
    created = IntegerField()

    class Meta:
        indexes = ((("statistics_id", "time"), False),)


class Project(AuditedModel):
    id = AutoField()
    uid = CharField(max_length=64, unique=True)
    name = CharField(max_length=100, index=True)
    alias = CharField(max_length=100, default="")
    description = TextField(default="")
    cycle_type = CharField(max_length=16)
    statistics_id = CharField(max_length=64, default="")
    period_num = IntegerField()
    period_unit = CharField(max_length=10, default="")
    notice_num = IntegerField(default=0)
    notice_unit = CharField(max_length=4, default="日")
    guide = TextField(default="")
    anchor_type = CharField(max_length=8, default="按完成时间")
    is_active = IntegerField(default=0)
    statistics_period_num = FloatField(default=0)  # 先到周期: the meter interval
    checklist = TextField(default="[]")  # the checklist template, JSON (spec §3)


class ProjectObject(BaseModel):
    """One row per object in a project's ``object_id_list``; ``position`` keeps the order."""

    id = AutoField()
    project_id = CharField(max_length=64)
    object_id = CharField(max_length=64, index=True)
    position = IntegerField()

    class Meta:
        table_name = "project_object"
        indexes = ((("project_id", "object_id"), True),)


class Task(AuditedModel):
    id = AutoField()
    uid = CharField(max_length=64, unique=True)
    project_id = CharField(max_length=64, index=True)
    object_id = CharField(max_length=64, index=True)
    description = TextField(default="")
    cycle_start = IntegerField(null=True)
    grid_anchor = IntegerField(null=True)
    cycle_index = IntegerField(default=1)
    due_at = IntegerField(null=True, index=True)
    notice_at = IntegerField(null=True)
    start_value = FloatField(null=True)
    base_value = FloatField(null=True)
    due_value = FloatField(null=True)
    last_handle_at = IntegerField(null=True)
    # 先到周期 only: ``due_at`` above is when the task comes due (the earlier limit), these
    # are the time limit, the meter limit's moment, and which of the two is earlier.
    time_due_at = IntegerField(null=True)
    due_value_at = IntegerField(null=True)
    due_by = CharField(max_length=4, default="")


class Handle(AuditedModel):
    id = AutoField()
    uid = CharField(max_length=64, unique=True)
    task_id = CharField(max_length=64, index=True)
    project_id = CharField(max_length=64)
    project_name = CharField(max_length=100, default="")
    project_alias = CharField(max_length=100, default="")
    object_id = CharField(max_length=64, index=True)
    object_name = CharField(max_length=100, default="")
    object_alias = CharField(max_length=100, default="")
    description = TextField(default="")
    handler_id_list = TextField(default="[]")
    handler_name_list = TextField(default="[]")
    fee = FloatField(default=0)
    result = TextField(default="")
    images = TextField(default="")
    is_ignored = IntegerField(default=0)
    due_at = IntegerField(null=True)
    skipped_cycles = IntegerField(default=0)
    handled_at = IntegerField(null=True)
    is_voided = IntegerField(default=0, index=True)
    void_reason = TextField(default="")
    voided_at = IntegerField(null=True)
    voided_by = IntegerField(default=0)
    # The task's cycle state before this handle (JSON), so voiding it restores exactly that.
    prior_state = TextField(default="")
    checklist_results = TextField(default="[]")  # results with their items' snapshot, JSON
    is_abnormal = IntegerField(default=0)

    class Meta:
        indexes = ((("created",), False), (("project_id", "created"), False),
                   (("task_id", "handled_at"), False))


class HandleHandler(BaseModel):
    """The handlers of one handle, so ``handler_id_list = 1`` is an indexed lookup."""

    id = AutoField()
    handle_rowid = IntegerField()
    handler_id = IntegerField(null=True)
    handler_name = CharField(max_length=200, default="")
    # the handle's own ``created``: a person's newest handles are one index range, in order
    created = IntegerField(default=0)

    class Meta:
        table_name = "handle_handler"
        indexes = (
            (("handler_id", "handle_rowid"), False),
            (("handler_id", "created", "handle_rowid"), False),
            (("handler_name", "handle_rowid"), False),
            (("handle_rowid",), False),
        )


class Handler(BaseModel):
    """A person who does maintenance; ids come from clients (``handler_id_list``)."""

    id = IntegerField(primary_key=True)
    name = CharField(max_length=200, default="")
    created = IntegerField()


class ReminderLog(BaseModel):
    """One row per reminder fired: (task, cycle, kind, seq) is unique, so it fires once."""

    id = AutoField()
    task_id = CharField(max_length=64)
    cycle_start = IntegerField()
    kind = CharField(max_length=8)
    seq = IntegerField(default=0)
    due_at = IntegerField(null=True)
    fired_at = IntegerField(index=True)
    project_id = CharField(max_length=64, default="")
    project_name = CharField(max_length=100, default="")
    object_id = CharField(max_length=64, default="")
    object_name = CharField(max_length=100, default="")
    is_read = IntegerField(default=0)
    due_by = CharField(max_length=4, default="")  # 先到周期: which limit came due

    class Meta:
        table_name = "reminder_log"
        indexes = ((("task_id", "cycle_start", "kind", "seq"), True),)


class ReminderRead(BaseModel):
    """One operator has read one logged reminder: read state is per operator (#16), so on a
    team database each supervisor's unread list is their own. ``reminder_log.is_read`` stays
    the mark for everyone (the cycle ended, or read before marks were per operator)."""

    id = AutoField()
    log_id = IntegerField()
    operator_id = IntegerField()
    read_at = IntegerField()

    class Meta:
        table_name = "reminder_read"
        indexes = ((("operator_id", "log_id"), True),)


class Image(BaseModel):
    """An attached picture's bytes, under its stored name (``services.images``)."""

    name = CharField(primary_key=True, max_length=64)
    data = BlobField()
    size = IntegerField()
    created = IntegerField()


class DataVersion(BaseModel):
    """A number per table, raised by a trigger in every transaction that writes the table:
    a count read at version v is still right while the version is v (``store.versions``)."""

    name = CharField(primary_key=True, max_length=64)
    version = IntegerField()

    class Meta:
        table_name = "data_version"


class History(BaseModel):
    """操作日志: one row per entity a successful write changed (spec §8)."""

    id = AutoField()
    time = IntegerField(index=True)
    operator_id = IntegerField(default=0)
    operator_name = CharField(max_length=200, default="")
    source = CharField(max_length=16)
    action = CharField(max_length=64)
    entity = CharField(max_length=16)
    entity_uid = CharField(max_length=64)
    changes = TextField(default="{}")

    class Meta:
        indexes = ((("entity_uid", "time"), False),)


class NotifyChannel(BaseModel):
    """Where reminders also go: a robot, a webhook or e-mail (``settings`` is JSON and holds
    the channel's secrets; ``kinds`` and ``projects`` are JSON lists, empty = every project)."""

    id = AutoField()
    name = CharField(max_length=100)
    kind = CharField(max_length=16)
    settings = TextField(default="{}")
    kinds = TextField(default="[]")
    projects = TextField(default="[]")
    template = TextField(default="")
    is_active = IntegerField(default=1)
    created = IntegerField()
    last_modified = IntegerField()

    class Meta:
        table_name = "notify_channel"


class NotifyOutbox(BaseModel):
    """One message owed to one channel: (channel, task, cycle, kind, seq) is unique, so a
    reminder is delivered once per channel. Written in the reminder log's transaction."""

    id = AutoField()
    channel_id = IntegerField()
    task_id = CharField(max_length=64)
    cycle_start = IntegerField()
    kind = CharField(max_length=8)
    seq = IntegerField(default=0)
    payload = TextField(default="{}")
    created = IntegerField()
    status = CharField(max_length=8, default="pending")
    attempts = IntegerField(default=0)
    next_attempt_at = IntegerField()
    claimed_by = CharField(max_length=64, null=True)
    claimed_at = IntegerField(null=True)
    answer = TextField(default="")
    sent_at = IntegerField(null=True)

    class Meta:
        table_name = "notify_outbox"
        indexes = ((("channel_id", "task_id", "cycle_start", "kind", "seq"), True),
                   (("status", "next_attempt_at"), False))


class NotifyAttempt(BaseModel):
    """One delivery attempt to a channel (its rate limit counts these, across a team)."""

    id = AutoField()
    channel_id = IntegerField()
    at = IntegerField()
    ok = IntegerField()
    rows = IntegerField()
    answer = TextField(default="")

    class Meta:
        table_name = "notify_attempt"
        indexes = ((("channel_id", "at"), False),)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion, UidSequence, Setting, MaintenanceObject, Statistic, Reading, Project,
    ProjectObject, Task, Handle, HandleHandler, Handler, ReminderLog, Image, DataVersion,
    History, NotifyChannel, NotifyOutbox, NotifyAttempt, ReminderRead,
)


M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def bound_to(model: type[M], db: Database) -> type[M]:
    """A subclass of ``model`` that queries ``db``, with the same table, columns and indexes.

    Peewee's subclasses inherit the fields, the indexes and ``legacy_table_names`` but not
    ``table_name`` (it would be derived from the class name again), so it is given here.
    The fields are handed over as shallow copies: Peewee would deep-copy each one (three
    quarters of the 4.4 ms a store of 13 models took), and binding a copy to its model only
    sets attributes on it, never changes what it shares with the original.
    """
    meta = type("Meta", (), {"database": db, "table_name": model._meta.table_name})
    fields = {name: copy.copy(field) for name, field in model._meta.fields.items()
              if not field.primary_key}
    return type(model.__name__, (model,), {"Meta": meta, "__module__": __name__,
                                           "__qualname__": f"Store.{model.__name__}",
                                           **fields})


def per_store(build: Callable[[Store], T]) -> Callable[[Store], T]:
    """``build(store)`` made once per store (``Store.memo``): the per-entity field tables."""

    @functools.wraps(build)
    def cached(store: Store) -> T:
        return store.memo(build)

    return cached


class Store:
    """One opened database and the models bound to it.

    ``store.Handle.select()`` queries this store's database, whatever other stores are open.
    ``memo(build)`` keeps what ``build(store)`` makes (the filter whitelists of
    ``queries``), once per store. The transactions (``write``, ``read``) and the connection
    questions are asked here, so what differs between SQLite and PostgreSQL stays in the
    store. ``read_only_reason``: why a server database was opened read-only although the
    caller did not ask (this program is older than the database allows).
    """

    def __init__(self, db: Database, *, read_only_reason: str | None = None) -> None:
        self.db = db
        self.is_postgres = isinstance(db, TeamDatabase)
        self.read_only_reason = read_only_reason
        self.SchemaVersion = bound_to(SchemaVersion, db)
        self.UidSequence = bound_to(UidSequence, db)
        self.Setting = bound_to(Setting, db)
        self.MaintenanceObject = bound_to(MaintenanceObject, db)
        self.Statistic = bound_to(Statistic, db)
        self.Reading = bound_to(Reading, db)
        self.Project = bound_to(Project, db)
        self.ProjectObject = bound_to(ProjectObject, db)
        self.Task = bound_to(Task, db)
        self.Handle = bound_to(Handle, db)
        self.HandleHandler = bound_to(HandleHandler, db)
        self.Handler = bound_to(Handler, db)
        self.ReminderLog = bound_to(ReminderLog, db)
        self.Image = bound_to(Image, db)
        self.DataVersion = bound_to(DataVersion, db)
        self.History = bound_to(History, db)
        self.NotifyChannel = bound_to(NotifyChannel, db)
        self.NotifyOutbox = bound_to(NotifyOutbox, db)
        self.NotifyAttempt = bound_to(NotifyAttempt, db)
        self.ReminderRead = bound_to(ReminderRead, db)
        self._memo: dict[Callable[[Store], Any], Any] = {}

    @property
    def models(self) -> tuple[type[BaseModel], ...]:
        """This store's subclass of each of ``ALL_MODELS``, in that order."""
        return tuple(getattr(self, model.__name__) for model in ALL_MODELS)

    def memo(self, build: Callable[[Store], T]) -> T:
        """``build(self)``, made once per store (a race at worst builds it twice)."""
        try:
            return self._memo[build]
        except KeyError:
            value = self._memo[build] = build(self)
            return value

    # -- transactions -----------------------------------------------------------------------

    def write(self) -> AbstractContextManager[Any]:
        """One write transaction, one writer at a time; nested: a savepoint.

        SQLite: ``BEGIN IMMEDIATE`` (the database's ``lock_type``), nothing more.
        PostgreSQL: ``BEGIN`` and the one-writer advisory lock, held until the commit.
        """
        if self.is_postgres:
            return self._write_on_server()
        return self.db.atomic()

    @contextmanager
    def _write_on_server(self) -> Iterator[None]:
        with self.db.atomic():
            self.db.hold_write_lock()
            yield

    def read(self) -> AbstractContextManager[Any]:
        """A read transaction: one consistent view, no write lock. SQLite: ``BEGIN
        DEFERRED`` (its snapshot lasts the transaction); PostgreSQL: ``REPEATABLE READ``,
        the same snapshot for every statement (a list's count and its page agree), which
        a reading transaction gets without ever waiting or failing."""
        if self.is_postgres:
            return self.db.atomic(isolation_level="REPEATABLE READ")
        return self.db.atomic(lock_type="DEFERRED")

    # -- announcing writes to other workstations --------------------------------------------

    @property
    def shared(self) -> bool:
        """Other workstations write to this database too (a server's): writes announce
        themselves and a ``change_channel`` hears theirs."""
        return self.is_postgres

    def announce(self, payload: str) -> None:
        """Inside a write: tell the other workstations ``payload`` when it commits. A file
        of one workstation has nobody to tell."""
        if self.is_postgres:
            self.db.announce(payload)

    def change_channel(self) -> postgres.ChangeChannel | None:
        """A connection of its own that hears the announcements (``None`` for SQLite)."""
        return postgres.ChangeChannel(self.db.address) if self.is_postgres else None

    def explain(self, exc: BaseException) -> errors.StoreError | None:
        """The ``StoreError`` (a sentence) behind a failure of the database, or ``None``."""
        if self.is_postgres:
            return errors.explain_write_error(
                exc, read_only_reason=self.read_only_reason,
                lock_timeout_s=postgres.LOCK_TIMEOUT_S,
                statement_timeout_s=postgres.STATEMENT_TIMEOUT_S)
        return errors.explain_write_error(exc)

    def explain_read(self, exc: BaseException) -> errors.StoreError | None:
        """Like ``explain``, for a read: a server that went away or a statement that ran
        out of time. SQLite's reads fail for no reason a user could act on, so there it
        is ``None`` (the error stays what it was)."""
        return self.explain(exc) if self.is_postgres else None

    # -- the calling thread's connection ----------------------------------------------------

    def in_transaction(self) -> bool:
        """The calling thread's connection is inside a transaction, also one that Peewee's
        transaction stack did not start (a stray ``BEGIN``)."""
        db = self.db
        if db.is_closed():
            return False
        if db.in_transaction():
            return True
        if self.is_postgres:
            return db.connection_in_transaction()
        return db.connection().in_transaction

    def interrupter(self) -> Callable[[], None]:
        """A function that stops the statement running on the calling thread's connection,
        callable from any thread."""
        if self.is_postgres:
            return self.db.interrupter()
        return self.db.connection().interrupt

    def release(self) -> None:
        """Roll back anything open and close the calling thread's connection."""
        if self.is_postgres:
            self.db.release()
            return
        db = self.db
        if self.in_transaction():
            db.connection().rollback()
        if not db.is_closed():
            db.close()

    def close(self) -> None:
        """Close the calling thread's connection (Peewee keeps one per thread)."""
        if self.is_postgres:
            self.db.release()
            return
        self.db.close()
