"""Suite-wide setup: headless Qt and a private data folder for every test run."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
