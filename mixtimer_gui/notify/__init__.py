"""Reminders beyond the tray: messages built from outbox rows (``messages``), the senders
for 企业微信 / 钉钉 / 飞书 robots, a JSON webhook and SMTP (``senders``), and the delivery
worker that claims outbox rows and sends them (``worker``). No Qt, no store: the worker
reaches the database through ``services.notify``."""
