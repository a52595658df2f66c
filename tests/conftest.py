"""Shared pytest set-up."""

# xlwings over openpyxl (no Excel): fixtures xl_engine, open_book, new_master_book, master_book.
# PostgreSQL (tests/pg_server.py): fixtures pg_server_url (the session's server), pg_url (a fresh
# empty database per test).
pytest_plugins = ["xlwings_openpyxl.fixtures", "pg_server"]
