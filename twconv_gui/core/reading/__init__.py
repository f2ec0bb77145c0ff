"""Files to tables: CSV/TSV/TXT and Excel/ODS workbooks read into one uniform table, header
row detected. Uses only the ground."""
