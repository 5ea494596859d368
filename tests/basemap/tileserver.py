"""A real local HTTP tile server for tests: /{z}/{x}/{y}.png (checker tiles at zoom 6..14),
/wms (one colour), /broken (500) and /text (a page, not an image)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from app.basemap.tiles import Tile
from tests.basemap.mbtiles import checker, solid_png

WMS_COLOUR = (10, 20, 30)


class TileHandler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        TileHandler.requests.append(self.path)
        url = urlsplit(self.path)
        if url.path == "/wms":
            query = parse_qs(url.query)
            ok = query.get("REQUEST") == ["GetMap"] and query.get("SRS") == ["EPSG:3857"]
            return self._answer(200 if ok else 400, solid_png(WMS_COLOUR))
        if url.path.startswith("/broken"):
            return self._answer(500, b"boom")
        if url.path.startswith("/text"):
            return self._answer(200, b"<html>login</html>")
        parts = url.path.strip("/").removesuffix(".png").split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and 6 <= int(parts[0]) <= 14:
            return self._answer(200, solid_png(checker(Tile(*map(int, parts)))))
        self._answer(404, b"")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def tile_server() -> Iterator[str]:
    """Serve on a free port of 127.0.0.1; yields the base address."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), TileHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    TileHandler.requests = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
