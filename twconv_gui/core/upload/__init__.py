"""Uploading prepared conversions: the engine, its journal and its reports."""

DEFAULT_WORKERS = 4  # batches in flight at once, unless `--workers` or the settings say otherwise
