"""The one error type users meet: every message says what went wrong and what to do."""


class TwconvError(Exception):
    """A problem the user can act on (bad file, bad mapping, bad setting).

    The message is shown as is, in the GUI and on the terminal, so it names the file, row,
    column or setting concerned and says what to do. It never carries secrets or raw
    emails/phone numbers.
    """


class ReadError(TwconvError):
    """A file cannot be read as a table (corrupt, protected, empty, unknown kind...)."""


class MappingError(TwconvError):
    """A mapping profile cannot be used with this file (unknown field, missing column...)."""


class Cancelled(Exception):  # noqa: N818 - reads better at the raise site than CancelledError
    """Long work stopped because the user asked; not an error to report."""
