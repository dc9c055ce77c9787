"""The tables benchmarks/scale.py prints: build and export, browser times, memory and bytes."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.scale_browser import AppResult


@dataclass
class SizeResult:
    """One size's figures: the build, the export and each app's browser times."""

    places: int
    articles: int
    build_s: float | None = None
    build_peak_kib: int | None = None
    build_note: str = ""
    export_s: float | None = None
    export_note: str = ""
    export_features: int | None = None  # how many places the exported file holds
    dumps_s: float | None = None
    apps: dict[str, AppResult] = field(default_factory=dict)


def number(value: float | None, digits: int = 2, note: str = "") -> str:
    if value is None:
        return note or "-"
    return f"{value:,.{digits}f}"


def ratio(top: float | None, bottom: float | None) -> str:
    return "-" if top is None or not bottom else f"{top / bottom:.2f}x"


def render(header: list[str], rows: list[list[str]]) -> str:
    """Left-aligned first column, right-aligned figures, widths from the content."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:],
                                                                                     strict=True)]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def build_table(results: list[SizeResult]) -> str:
    rows, previous = [], None
    for result in results:
        step = "-"
        if previous is not None and previous.build_s and result.build_s:
            step = (f"{result.build_s / previous.build_s:.1f}x for "
                    f"{result.places / previous.places:.0f}x places")
        rows.append([f"{result.places:,} ({result.articles:,})",
                     number(result.build_s, 1, result.build_note),
                     number(result.build_peak_kib / 1024 if result.build_peak_kib else None, 0,
                            result.build_note),
                     step, number(result.export_s, 2, result.export_note),
                     number(result.dumps_s, 3, result.export_note if not result.dumps_s else ""),
                     ratio(result.export_s, result.dumps_s)])
        previous = result
    return render(["places (articles)", "build s", "build peak MB", "build time vs previous size",
                   "export s", "json.dumps s", "export / dumps"], rows)


def browser_table(results: list[SizeResult]) -> str:
    rows = []
    for result in results:
        dash, ref = result.apps.get("dashboard"), result.apps.get("reference")
        if dash is None or ref is None:
            rows.append([f"{result.places:,}"] + ["skipped"] * 13)
            continue
        rows.append([f"{result.places:,}", number(dash.load, 2, dash.note), number(ref.load, 2, ref.note),
                     ratio(dash.load, ref.load), number(dash.all_markers, 2, dash.note),
                     number(ref.all_markers, 2, ref.note), ratio(dash.all_markers, ref.all_markers),
                     number(dash.ready, 2, dash.note), number(ref.ready, 2, ref.note),
                     ratio(dash.ready, ref.ready),
                     number(dash.click, 2, dash.note), number(ref.click, 2, ref.note),
                     ratio(dash.click, ref.click), number(dash.step, 0, dash.note)])
    return render(["places", "dashboard load s", "reference load s", "load ratio",
                   "dash all markers s", "ref all markers s", "all ratio",
                   "dash ready s", "ref ready s", "ready ratio",
                   "dashboard click s", "reference click s", "click ratio",
                   "timeline step ms"], rows)


def mb(kib: int | None) -> float | None:
    return None if kib is None else kib / 1024


def kb(size: int | None) -> float | None:
    return None if size is None else size / 1000


def memory_table(results: list[SizeResult]) -> str:
    rows = []
    for result in results:
        dash, ref = result.apps.get("dashboard"), result.apps.get("reference")
        if dash is None or ref is None:
            rows.append([f"{result.places:,}"] + ["skipped"] * 8)
            continue
        rows.append([f"{result.places:,}", number(mb(dash.rss_kib), 0), number(mb(ref.rss_kib), 0),
                     ratio(dash.rss_kib, ref.rss_kib),
                     f"{number(mb(dash.hwm_kib), 0)} / {number(mb(ref.hwm_kib), 0)}",
                     number(kb(dash.script_bytes), 0), number(kb(ref.script_bytes), 0),
                     ratio(dash.script_bytes, ref.script_bytes),
                     f"{number(kb(dash.ws_load_bytes), 0)}+{number(kb(dash.ws_click_bytes), 0)} / "
                     f"{number(kb(ref.ws_load_bytes), 0)}+{number(kb(ref.ws_click_bytes), 0)}"])
    return render(["places", "dashboard RSS MB", "reference RSS MB", "RSS ratio", "peak MB dash / ref",
                   "dashboard map kB", "reference map kB", "map ratio",
                   "websocket kB load+click dash / ref"], rows)


def tables(results: list[SizeResult]) -> str:
    parts = ["Build and export", build_table(results)]
    if any(result.apps for result in results):
        parts += ["", "Page load (goto -> first markers drawn; -> all places in the map's layers; "
                  "-> ready: every rerun drawn and the main thread free) and click "
                  "(marker -> passage shown), seconds",
                  browser_table(results), "",
                  "Server memory after load and click; map script sent to the browser",
                  memory_table(results)]
    return "\n".join(parts)
