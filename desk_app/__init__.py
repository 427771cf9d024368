"""desk_app: the commune one-stop desk (Bộ phận Một cửa) and its upstream hub."""

__version__ = "0.1.0"
