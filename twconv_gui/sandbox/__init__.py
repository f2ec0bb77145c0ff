"""A local stand-in for the X Ads API, for tests, demos and the GUI's Sandbox mode."""

from twconv_gui.core.sandbox.server import (
    DEMO,
    AcceptedBatch,
    DemoAccount,
    Faults,
    SandboxServer,
    run_sandbox,
)

__all__ = ["DEMO", "AcceptedBatch", "DemoAccount", "Faults", "SandboxServer", "run_sandbox"]
