"""Peewee on SQLite: opening, models, migrations, backups, filters and queries.

Nothing outside ``store`` imports Peewee, and only ``services`` imports ``store``: the outer
layers open a database through ``services.workspace``. ``db.open_store`` gives a ``Store``
(``models``): one database and the models bound to it, which every query goes through.
"""
