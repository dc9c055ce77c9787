"""WARC input: a small crawl written here with warcio's own writer, gzipped and plain, ingested
serially; pages become articles, other records are skipped, a damaged record is an error."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from geo.archive import store
from geo.ingest.bulk import warc
from geo.ingest.bulk.run import ingest
from geo.ingest.bulk.sources import list_refs
from tests.archive_helpers import workspace

CAPTURED = "2024-05-01T10:20:30Z"
BODY = ("<p>We met the Russian Democratic Society members by the river, as we did every week "
        "that spring. Later, the Kafana Zlatni Lav was full of exiles, number {n}, talking "
        "late into the night about the old country and the new one.</p>")
CYRILLIC = "Белград"


def html(n: int, *, title: str = "", extra: str = "") -> bytes:
    head = f"<title>{title or f'Dispatch {n}'}</title>"
    return (f"<html><head>{head}</head><body><article><h1>{title or f'Dispatch {n}'}</h1>"
            f"{BODY.format(n=n)}{extra}</article></body></html>").encode()


def response(writer: WARCWriter, url: str, payload: bytes, content_type: str,
             status: str = "200 OK") -> Any:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http,
                                     warc_headers_dict={"WARC-Date": CAPTURED})


def crawl(path: Path, *, gzip: bool) -> Path:
    """A crawl of seven records: four pages (one of them plain text), a request, an image and
    a 404; then damaged bytes; then one more page."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
    writer.write_record(writer.create_warc_record(
        "https://example.org/news/1", "request", payload=io.BytesIO(b"GET /news/1 HTTP/1.1\r\n\r\n"),
        warc_content_type="application/http; msgtype=request"))
    writer.write_record(response(writer, "https://example.org/news/1", html(1), "text/html; charset=utf-8"))
    writer.write_record(response(writer, "https://example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"))
    writer.write_record(response(writer, "https://example.org/news/9", html(9), "text/html", "404 Not Found"))
    cyrillic = html(2, title="Депеша", extra=f"<p>{CYRILLIC} {CYRILLIC} у пролеће.</p>")
    writer.write_record(response(writer, "https://example.org/news/2",
                                 cyrillic.decode().encode("windows-1251"),
                                 "text/html; charset=windows-1251"))
    writer.write_record(writer.create_warc_record(
        "https://example.org/notes.txt", "resource", payload=io.BytesIO(b"Plain notes, no title.\n"),
        warc_content_type="text/plain; charset=utf-8", warc_headers_dict={"WARC-Date": CAPTURED}))
    damaged = len(buffer.getvalue())
    buffer.write(b"\x1f\x8b\x08 not a gzip member\r\n\r\n" if gzip else b"garbage, not a WARC record\r\n\r\n")
    writer.write_record(response(writer, "https://example.org/news/3", html(3), "text/html"))
    path.write_bytes(buffer.getvalue())
    (path.parent / f"{path.name}.damaged").write_text(str(damaged), encoding="utf-8")
    return path


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_warc_file_is_ingested_page_by_page(tmp_path: Path, gzip: bool) -> None:
    source = crawl(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), gzip=gzip)
    damaged = int((tmp_path / f"{source.name}.damaged").read_text(encoding="utf-8"))
    refs = list_refs([str(source)])
    assert [bool(ref.error) for ref in refs] == [False, False, False, True, False]
    assert refs[3].offset == damaged
    assert refs[3].where == f"{source}@{damaged}"

    settings = workspace(tmp_path)
    report = ingest(settings, [str(source)], "crawl", partition_size=2)
    assert (report.articles, report.duplicates, report.errors, report.skipped) == (3, 0, 2, 4)
    articles = {row["url"]: row for row in store.read_table(report.archive_dir, "articles")}
    assert sorted(articles) == [f"https://example.org/news/{n}" for n in (1, 2, 3)]
    assert {row["date"] for row in articles.values()} == {"2024-05-01"}
    assert articles["https://example.org/news/1"]["title"] == "Dispatch 1"
    assert articles["https://example.org/news/1"]["source"] == f"{source}@{refs[0].offset}"
    assert CYRILLIC in articles["https://example.org/news/2"]["text"]  # decoded as windows-1251
    assert articles["https://example.org/news/2"]["title"] == "Депеша"
    assert all(row["extraction"].startswith("trafilatura") for row in articles.values())

    mentions = store.read_table(report.archive_dir, "mentions")
    assert {row["place_id"] for row in mentions} == {"russian-democratic-society"}
    assert len(mentions) == 3
    errors = {row["source"]: row for row in store.read_table(report.archive_dir, "errors")}
    broken = errors[f"{source}@{damaged}"]
    assert broken["kind"] == "bad article"
    assert "WARC record cannot be read" in broken["reason"]
    plain = errors[f"{source}@{refs[2].offset}"]  # a text/plain page has no title to check
    assert plain["kind"] == "bad article"
    assert "title" in plain["reason"]


def test_a_directory_holds_warc_files_and_a_worker_reads_one_record_by_its_offset(tmp_path: Path) -> None:
    folder = tmp_path / "crawls"
    folder.mkdir()
    source = crawl(folder / "a.warc.gz", gzip=True)
    refs = [ref for ref in list_refs([str(folder)]) if not ref.error]
    assert all(ref.path == str(source) for ref in refs)
    pages = [warc.read_page(ref.path, ref.offset, ref.where) for ref in reversed(refs)]
    assert [page.url for page in pages] == [f"https://example.org/{p}" for p in
                                            ("news/3", "notes.txt", "news/2", "news/1")]
    assert [page.media_type for page in pages] == ["text/html", "text/plain", "text/html", "text/html"]
    assert pages[-1].date == "2024-05-01"
    with source.open("rb") as handle:  # the offsets warcio itself reports, up to the damage
        records = ArchiveIterator(handle)
        offsets = []
        for _ in records:
            offsets.append(records.get_record_offset())
            if len(offsets) == 7:
                break
    assert [ref.offset for ref in refs[:3]] == [offsets[2], offsets[5], offsets[6]]


def test_decoding_follows_the_bom_then_the_charset_then_the_page_then_utf8() -> None:
    assert warc.decode("\ufeffЗдраво".encode("utf-8"), "windows-1251", html=True) == "Здраво"
    assert warc.decode("Здраво".encode("windows-1251"), "windows-1251", html=False) == "Здраво"
    page = '<meta charset="windows-1251"><p>Здраво</p>'.encode("windows-1251")
    assert "Здраво" in warc.decode(page, None, html=True)
    assert warc.decode("Здраво".encode("windows-1251"), "no-such-charset", html=False) == "\ufffd" * 6
    assert warc.decode(b"ok \xff", None, html=False) == "ok \ufffd"
