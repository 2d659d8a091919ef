"""An HTTP server on 127.0.0.1 that a test starts to play another system (webhook receiver,
identity provider)."""

from __future__ import annotations

import http.server
import threading

# How often the serving thread looks for `close()`. The standard library's default (0.5 s) made
# every test using a server wait up to half a second at its end, for nothing.
POLL_SECONDS = 0.005


class LoopbackServer:
    """Serves `handler` (a `BaseHTTPRequestHandler` class) on a free port until `close()`."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
