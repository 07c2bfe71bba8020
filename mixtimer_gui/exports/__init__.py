"""CSV: export of handle records (streamed, atomic), import of objects and meter readings."""
