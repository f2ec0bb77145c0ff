"""Uploading prepared conversions: the engine, its journal and its reports."""
