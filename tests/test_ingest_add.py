"""Adding an article: from a .txt file, from HTML on a local server; refusals write nothing."""

from __future__ import annotations

import contextlib
import socket
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from geo.config import Settings
from geo.ingest.add import slugify
from geo.seeds import load_seeds
from tests.ingest_helpers import copy_project, run, serving

ARTICLE = "Exiles on the Sava\n\nIn Zemun, a group of Russians opened Café Sirin, a small bookshop.\n"
PAGE = """<!doctype html><html lang="en"><head><title>Exiles on the Sava | The Test Herald</title>
<meta property="og:site_name" content="The Test Herald">
<meta property="og:title" content="Exiles on the Sava">
<meta name="date" content="2024-05-06"><link rel="canonical" href="https://herald.example/exiles">
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav><article><h1>Exiles on the Sava</h1>
<p>In Zemun, a group of Russians opened Café Sirin, a small bookshop near the quay, in the spring of 2023.</p>
<p>They had come from Moscow by way of Tbilisi, and most of them still work for companies far away.</p>
</article><footer>Copyright The Test Herald. Subscribe to our newsletter.</footer></body></html>"""


@dataclass
class Site:
    port: int = 0
    pages: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    agents: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.agents.append(self.headers.get("User-Agent", ""))
            status, kind, body = state.pages.get(self.path, (404, "text/plain", b"not found"))
            with contextlib.suppress(OSError):  # the client may stop reading an oversized page
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        state.port = port
        yield state


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return copy_project(tmp_path)


def seed_files(settings: Settings) -> set[str]:
    return {path.name for path in settings.seeds_dir.iterdir()}


def test_a_text_file_is_stored_byte_for_byte(project: Settings, tmp_path: Path) -> None:
    source = tmp_path / "exiles.txt"
    source.write_bytes(ARTICLE.encode("utf-8"))
    assert run(["add", str(source), "--title", "Exiles on the Sava", "--publisher", "Test Herald",
                "--url", "https://herald.example/exiles", "--date", "2024-05-06", "--no-scan"],
               project) == 0
    assert (project.seeds_dir / "exiles-on-the-sava.txt").read_bytes() == source.read_bytes()
    meta = tomllib.loads((project.seeds_dir / "exiles-on-the-sava.toml").read_text(encoding="utf-8"))
    assert meta["title"] == "Exiles on the Sava"
    assert meta["extraction"] == "plain text"
    assert len(meta["sha256"]) == 64
    assert meta["added"].endswith("+00:00")
    assert [seed.name for seed in load_seeds(project.seeds_dir)] == [
        "exiles-on-the-sava.txt", "moscow-in-the-balkans.txt"]


def test_html_from_a_local_server_gives_text_and_metadata(project: Settings, site: Site,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    site.pages["/exiles"] = (200, "text/html; charset=utf-8", PAGE.encode("utf-8"))
    assert run(["add", site.url("/exiles"), "--no-scan"], project) == 0
    text = (project.seeds_dir / "exiles-on-the-sava.txt").read_text(encoding="utf-8")
    assert "Café Sirin" in text
    assert "newsletter" not in text
    assert "Home" not in text
    assert "\n\n" in text  # paragraphs are blocks for geo.seeds
    meta = tomllib.loads((project.seeds_dir / "exiles-on-the-sava.toml").read_text(encoding="utf-8"))
    assert meta["title"] == "Exiles on the Sava"
    assert meta["publisher"] == "The Test Herald"
    assert meta["url"] == site.url("/exiles")  # what was fetched; the page's canonical is
    assert "canonical_url" not in meta  # on another site, so it is not kept (issue 12)
    assert meta["date"] == "2024-05-06"
    assert meta["language"] == "en"
    assert meta["extraction"].startswith("trafilatura ")
    assert site.agents == [project.user_agent]


def test_html_extraction_needs_no_network(project: Settings, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("tried to open a network connection")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    page = tmp_path / "exiles.html"
    page.write_text(PAGE, encoding="utf-8")
    assert run(["add", str(page), "--no-scan"], project) == 0


def test_the_same_article_twice_is_refused(project: Settings, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "copy.txt"
    source.write_bytes((project.seeds_dir / "moscow-in-the-balkans.txt").read_bytes())
    before = seed_files(project)
    assert run(["add", str(source), "--title", "Another title", "--publisher", "X",
                "--url", "https://example.org/other", "--no-scan"], project) == 2
    assert "already in seeds/ as moscow-in-the-balkans.txt (same text)" in capsys.readouterr().err
    source.write_text(ARTICLE, encoding="utf-8")
    assert run(["add", str(source), "--title", "T", "--publisher", "X",
                "--url", "https://www.icwa.org/moscow-in-the-balkans/", "--no-scan"], project) == 2
    assert "(same URL" in capsys.readouterr().err
    assert seed_files(project) == before


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the article is empty"),
    (b"  \n\n ", "the article is empty"),
    (b"text\x00with a NUL", "binary data"),
    ("caf\u00e9".encode("latin-1"), "not UTF-8"),
    (b"x" * (2 * 1024 * 1024 + 1), "over the"),
])
def test_bad_files_are_refused_and_nothing_written(project: Settings, tmp_path: Path, content: bytes,
                                                    message: str, capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    source = tmp_path / "bad.txt"
    source.write_bytes(content)
    before = seed_files(project)
    assert run(["add", str(source), "--title", "Bad", "--publisher", "X",
                "--url", "https://example.org/bad", "--no-scan"], project) == 2
    assert message in capsys.readouterr().err
    assert seed_files(project) == before


@pytest.mark.parametrize(("path", "status", "kind", "message"), [
    ("/missing", 404, "text/plain", "HTTP 404"),
    ("/photo", 200, "image/jpeg", "image/jpeg is not an article"),
    ("/huge", 200, "text/html", "over the"),
])
def test_bad_urls_are_refused(project: Settings, site: Site, path: str, status: int, kind: str,
                              message: str, capsys: pytest.CaptureFixture[str]) -> None:
    if path != "/missing":
        site.pages[path] = (status, kind, b"<p>x</p>" * (1024 * 1024 if path == "/huge" else 1))
    before = seed_files(project)
    assert run(["add", site.url(path), "--no-scan"], project) == 2
    assert message in capsys.readouterr().err
    assert seed_files(project) == before


def test_other_schemes_are_refused_before_any_request(project: Settings,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["add", "ftp://example.org/article.txt"], project) == 2
    assert "only http and https" in capsys.readouterr().err
    assert run(["add", "file:///etc/passwd"], project) == 2


def test_a_text_file_needs_its_metadata(project: Settings, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert run(["add", str(source), "--title", "T"], project) == 2
    assert "needs --publisher, --url" in capsys.readouterr().err
    assert run(["add", str(source), "--title", "T", "--publisher", "P", "--url", "mailto:x@y"],
               project) == 2


def test_a_failed_metadata_write_removes_the_text(project: Settings, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.ingest.add as add_module
    real = add_module.create_atomic
    def failing(path: Path, text: str) -> None:
        if path.suffix == ".toml":
            raise OSError("disk full")
        real(path, text)
    monkeypatch.setattr(add_module, "create_atomic", failing)
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    before = seed_files(project)
    with contextlib.suppress(OSError):
        run(["add", str(source), "--title", "T", "--publisher", "P", "--url", "https://e.org/a"],
            project)
    assert seed_files(project) == before


def test_slugs() -> None:
    assert slugify("Moscow in the Balkans") == "moscow-in-the-balkans"
    assert slugify("Rusi na Dorćolu: đaci") == "rusi-na-dorcolu-djaci"
    assert slugify("Ђорђе и Москва") == "djordje-i-moskva"
    assert slugify("Über Straße, 1999") == "uber-strasse-1999"
    assert slugify("  ?!  ") == ""
    assert slugify("word " * 20) == ("word-" * 12).rstrip("-")


def test_a_cyrillic_title_makes_a_readable_ascii_file_name(project: Settings, tmp_path: Path) -> None:
    source = tmp_path / "belgrade.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert run(["add", str(source), "--title", "Белград", "--publisher", "P",
                "--url", "https://e.org/belgrad", "--no-scan"], project) == 0
    assert (project.seeds_dir / "belgrad.txt").read_text(encoding="utf-8") == ARTICLE
    assert 'title = "Белград"' in (project.seeds_dir / "belgrad.toml").read_text(encoding="utf-8")
