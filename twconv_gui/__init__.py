"""twconv-gui: spreadsheet exports to X Ads offline conversions, as a desktop app and a CLI."""

__version__ = "0.1.0"
APP_NAME = "twconv-gui"
