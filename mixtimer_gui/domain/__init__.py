"""Pure domain rules: no Qt, no Peewee, nothing from the project outside ``domain``."""
