"""Step 4, Upload: the form, the background upload worker, its batches table and its words."""
