"""Plain-Python engine of twconv-gui: reading, mapping, normalizing, batching (no Qt)."""
