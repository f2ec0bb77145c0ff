"""A local stand-in for the X Ads API, for tests, demos and the GUI's Sandbox mode: a program of
its own that imports nothing else of twconv_gui."""

from twconv_gui.sandbox.server import (
    DEMO,
    AcceptedBatch,
    DemoAccount,
    Faults,
    SandboxServer,
    run_sandbox,
)

__all__ = ["DEMO", "AcceptedBatch", "DemoAccount", "Faults", "SandboxServer", "run_sandbox"]
