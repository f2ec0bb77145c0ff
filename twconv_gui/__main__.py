"""`python -m twconv_gui` starts the desktop app."""

from twconv_gui.app import main

raise SystemExit(main())
