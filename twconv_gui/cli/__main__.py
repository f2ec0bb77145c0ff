"""`python -m twconv_gui.cli` runs the `twconv` command."""

from twconv_gui.cli import run

run()
