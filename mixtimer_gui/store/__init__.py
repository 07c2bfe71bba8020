"""Peewee on SQLite: opening, models, migrations, filters and queries.

Nothing outside ``store`` imports Peewee; services call the functions and models here.
"""

from peewee import Database

__all__ = ["Database"]
