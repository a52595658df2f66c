"""Shared pytest set-up."""

# xlwings over openpyxl (no Excel): fixtures xl_engine, open_book, new_master_book, master_book.
pytest_plugins = ["xlwings_openpyxl.fixtures"]
