"""The sync benchmark's reference peers: PouchDB, Kinto on PostgreSQL, and the raw SQLite floor."""
