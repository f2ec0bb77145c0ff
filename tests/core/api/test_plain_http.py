"""Plain http only for the local Sandbox: elsewhere keys, signatures and hashes go in clear."""

import pytest

from twconv_gui.core.api.client import ApiSettings
from twconv_gui.core.errors import TwconvError


@pytest.mark.parametrize(
    "base", ["http://ads-api.x.com", "http://10.0.0.5:8080", "http://any-host"]
)
def test_plain_http_to_another_host_is_refused(base):
    with pytest.raises(TwconvError, match="https"):
        ApiSettings(base_url=base)


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:9"]
)
def test_plain_http_to_this_computer_is_allowed(base):
    assert ApiSettings(base_url=base).base_url == base
