"""Tables. Moments are UTC epoch seconds (``int``); uids are the keys clients see.

Handles are history: they keep copies of the project and object names they were written with
and have no foreign key to projects, tasks or objects, so deleting those never touches them.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    DatabaseProxy,
    FloatField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database
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

    class Meta:
        indexes = ((("created",), False), (("project_id", "created"), False))


class HandleHandler(BaseModel):
    """The handlers of one handle, so ``handler_id_list = 1`` is an indexed lookup."""

    id = AutoField()
    handle_rowid = IntegerField()
    handler_id = IntegerField(null=True)
    handler_name = CharField(max_length=200, default="")

    class Meta:
        table_name = "handle_handler"
        indexes = (
            (("handler_id", "handle_rowid"), False),
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

    class Meta:
        table_name = "reminder_log"
        indexes = ((("task_id", "cycle_start", "kind", "seq"), True),)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion, UidSequence, Setting, MaintenanceObject, Statistic, Reading, Project,
    ProjectObject, Task, Handle, HandleHandler, Handler, ReminderLog,
)
