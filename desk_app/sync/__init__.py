"""Sync between a desk and the hub: the wire protocol and the HTTP client (no desk database here)."""
