"""History: past uploads from the journal, with their batches and report folders."""
