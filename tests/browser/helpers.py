"""Helpers shared by the browser tests."""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}  # options of a phone's browser context


def words(text: str) -> str:
    """Text with its whitespace folded, as a reader sees it."""
    return re.sub(r"\s+", " ", text).strip()


SEARCH_READY = """() => {
    const meta = document.querySelector('.md-search-result__meta');
    return meta !== null && meta.textContent.trim() !== '' && !/Initializing/i.test(meta.textContent);
}"""


def open_page(page, site_url: str, path: str, *, quiet: bool = False):
    """Go to ``path`` and wait until Material's scripts are done: the search worker has loaded
    the index (it replaces "Initializing search"). ``quiet=True`` waits for no network activity
    for 500 ms instead (slower, but no request can still be on its way)."""
    response = page.goto(site_url + path, wait_until="networkidle" if quiet else "load")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    page.wait_for_function(SEARCH_READY, timeout=15000)
    return page


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """``folder`` served over HTTP on 127.0.0.1 (a free port); yields its base URL with "/"."""
    server = ThreadingHTTPServer((HOST, 0), functools.partial(_QuietHandler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
