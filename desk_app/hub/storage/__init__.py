"""Hub storage: the only part of the hub that speaks SQL (SQLite and PostgreSQL, one schema)."""
