"""Many idle connections cannot make the Sandbox start a thread for each."""

import contextlib
import socket
import threading
import time

from twconv_gui.core.api.client import ApiClient, ApiSettings
from twconv_gui.core.api.credentials import Credentials
from twconv_gui.sandbox import DEMO, SandboxServer
from twconv_gui.sandbox.handler import MAX_CONNECTIONS

IDLE = 3 * MAX_CONNECTIONS


def _wait_for(condition, seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_idle_connections_are_capped_and_uploads_still_work(make_conversion):
    with SandboxServer() as sandbox:
        before = threading.active_count()
        idle: list[socket.socket] = []
        try:
            for _ in range(IDLE):
                idle.append(socket.create_connection(("127.0.0.1", sandbox.port), timeout=5))
            assert _wait_for(lambda: sandbox.connections_opened >= MAX_CONNECTIONS)
            time.sleep(0.3)  # give the server time to start more threads, if it would
            assert threading.active_count() <= before + MAX_CONNECTIONS
            assert sandbox.connections_opened == MAX_CONNECTIONS  # the rest were hung up
        finally:
            for connection in idle:
                with contextlib.suppress(OSError):
                    connection.close()
        assert _wait_for(lambda: threading.active_count() <= before + 1)

        credentials = Credentials(
            DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token, DEMO.access_token_secret
        )
        with ApiClient(credentials, ApiSettings(base_url=sandbox.base_url)) as client:
            response = client.post_conversions(DEMO.pixel_id, [make_conversion()])
        assert (response.status, response.processed) == (200, 1)
