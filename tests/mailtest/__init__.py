"""Helpers for the task-order file and mail tests: sample task orders and a loopback SMTP server."""
