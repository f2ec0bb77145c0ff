"""Step 3, Preview: every event as it will be sent, prepared in a background worker."""
