"""The Qt desktop app, the only package that imports PySide6: one package per step (load, mapping,
preview, upload, history) and the credentials dialog, each page with its models and workers;
the window, session and settings they share sit here."""
