"""The plain-Python engine of twconv-gui (no Qt), in subsystems that import only downwards.

    upload    the engine that sends batches, its journal and reports   may use prepare, api
    account   sign-in profiles, keyring, PIN sign-in, account lookups  may use api
    api       signed HTTP requests to the X Ads API, typed responses
    prepare   rows -> conversion events -> batches, previews, row reports
    mapping   which column feeds which field: profiles, suggestions, inspection
    normalize one cell -> one field value in X's form (emails, phones, times, money)
    reading   files -> tables (CSV/TSV/Excel/ODS, header detection)
    errors, paths, logs, payload   the ground every subsystem may use

The import-linter contracts in pyproject.toml hold these rules; `make test` runs them.
"""
