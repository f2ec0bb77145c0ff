"""Step 2, Map: one row per conversion field, its column or constant, and how to read it."""
