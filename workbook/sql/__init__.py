"""Server mode's store: the records in a SQL database (PostgreSQL for a site, SQLite for one PC)."""
