"""``mixtimer-gui demo-data``: a plant's worth of realistic data, fast enough for a million
handles.

What it writes: equipment (空压机1号, 注塑机A3 …) with locations; meters (运行小时, 模次计数 …)
with daily cumulative readings; people (张三, 李四 …); maintenance projects of both cycle
types and both anchor types with their guides; one task per (project, object); and two years
of handles with handlers, fees, results and some ignores.

History is simulated, not invented: every task's cycles are run through ``domain.cycles``
(and ``domain.forecast`` for meters) handle by handle, so each handle's ``due_at`` and
``skipped_cycles`` and each task's current cycle are exactly what the services would have
stored had the same handles been recorded live. The last handle of each running task is
placed so that, relative to now, statuses come out as a mix of 正常 / 即将到期 / 已到期; stopped
and never-started projects give 未启动.

Everything is written by ``store.bulk`` in one transaction (all or nothing), handles in
chunks streamed in time order, so memory stays flat and row ids follow ``created`` as they
would in a database that grew through the services. Times are laid out backwards from the
moment it runs, so the same sizes and seed give the same records, shifted to that moment
(``generate`` takes the moment as an argument; tests pass a fixed one).

The modules, in the order the data is made:

- ``catalogue``: the plant's kinds of equipment, meters, people, maintenance plans, results.
- ``timeline``: the span of history, local days and working hours.
- ``meter``: a simulated meter and its daily readings.
- ``plant``: the objects, projects and tasks built from the catalogue.
- ``history``: when each task was handled, and its cycles run through ``domain.cycles``.
- ``records``: the rows of each table, handles streamed in chunks.
- ``loader``: the sizes a run may ask for, and the one transaction that writes it all.
"""
