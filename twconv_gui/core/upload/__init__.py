"""Uploading prepared conversions: the engine, its journal and its reports. Uses prepare (events
and batches), api (requests) and the ground; never accounts, the GUI or the CLI."""

DEFAULT_WORKERS = 4  # batches in flight at once, unless `--workers` or the settings say otherwise
