"""Where articles come from: files, stdin, HTML pages and URLs, and what is refused."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from summarizer.article import read_source
from summarizer.errors import InputError

PAGE = Path(__file__).parent / "data" / "page.html"


def test_html_file_is_reduced_to_the_article_text():
    read = read_source(str(PAGE))
    assert read.extracted
    assert read.text.startswith("Harbour bridge reopens after repairs\n\nAVEIRO, April 11 - The")
    assert read.published == "2026-04-11"
    assert '"Residents have been patient' in read.text
    assert "Subscribe now" not in read.text and "Cookie settings" not in read.text
    assert any("extracted from HTML" in w for w in read.warnings)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image"),
        (b"<html><body><nav>Home</nav></body></html>", "no article text found in the HTML"),
    ],
    ids=["pdf", "png", "html-without-article"],
)
def test_what_is_not_an_article_is_refused(tmp_path, data, message):
    path = tmp_path / "input"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        read_source(str(path))
    assert caught.value.exit_code == 2


@pytest.fixture
def site():
    """A web server on 127.0.0.1 with one article page; other paths are 404."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 — the stdlib's name
            if self.path == "/bridge":
                body = PAGE.read_bytes()
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
            else:
                body = b"not found"
                self.send_response(404)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_an_article_url_is_downloaded_and_extracted(site):
    read = read_source(f"{site}/bridge")
    assert read.extracted
    assert read.text == read_source(str(PAGE)).text


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_missing_page_is_an_input_error(site):
    with pytest.raises(InputError, match=r"/missing: HTTP 404"):
        read_source(f"{site}/missing")
