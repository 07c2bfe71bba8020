"""The subcommands of ``mixtimer-gui`` (DESIGN §5): what each one does once ``cli`` has parsed
its arguments.

- ``errors``: ``CommandError`` and the exit statuses (0 success, 2 bad arguments, 1 failure).
- ``dispatch``: which module runs which command, and the one place that turns what a command
  raised into an exit status and one line on stderr (an unexpected error's traceback goes to
  the log file, never to the terminal).
- ``database``: the one way a command opens its database.
- one module per command: ``window``, ``serve``, ``export_handles``, ``import_csv``,
  ``demo_data``; each has ``run(args, db_path) -> int``.
"""
