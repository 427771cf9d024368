"""The hub: the upstream service desks sync with (FastAPI app, storage on SQLite or PostgreSQL)."""
