"""`python -m twconv_gui.cli` runs the `twconv` command."""

from twconv_gui.cli import main

raise SystemExit(main())
