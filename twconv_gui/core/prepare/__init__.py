"""Rows to conversion events: a mapping applied to a table, in processes, into encoded events,
batches, previews and rejected-row reports. Uses mapping, normalize, reading and the ground;
never the API, accounts or the upload engine."""
