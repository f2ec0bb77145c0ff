"""Readers that turn CSV/TSV/TXT and Excel/ODS workbooks into a uniform table."""
