"""Step 1, Load: the file, sheet and header-row choosers with the raw table and its columns."""
