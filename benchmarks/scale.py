"""Does the project hold at 1,000, 10,000 and 100,000 places? Prints tables with the ratios.

For each size N (M = N/100 articles by default) it writes a synthetic corpus
(benchmarks/corpus.py) into a temporary directory and measures, one step after another:

  build    `python -m geo build --out data/places.geojson` in a subprocess pointed at the
           corpus (GEO_SEEDS_DIR, GEO_DATA_DIR): wall time, and the child's own peak RSS
           (ru_maxrss from os.wait4 on that child)
  export   `python -m geo export --format geojson --out FILE`: wall time, against the floor,
           an in-process json.dumps of the built FeatureCollection (best of three); the
           export's time includes interpreter start-up, printed on its own for scale
  load     in headless Chromium with every request off this machine refused, a fresh
           browser context per run: from the page's navigation to the first animation frame
           in which Leaflet has drawn markers in the map iframe, by the browser's own clock
           (benchmarks/harness.py drawn_after_navigation)
  ready    from navigation until the page was last busy, once Streamlit runs nothing and
           the page has had 1.5 s with no long task (the main thread, which the map's frame
           shares) and no change to its DOM: every rerun drawn (the dashboard's post-draw
           one included) and the browser free for a click (scale_browser.ready_after_load)
  click    the target place (a building in the home city, with a point of its own) is brought
           into view with Leaflet.markercluster's zoomToShowLayer, the page is left to
           settle for a second, then a mouse click on its marker until its passage shows in
           the main page (the dashboard's side panel; the reference app's text below the map)
  memory   VmRSS and VmHWM of the Streamlit server and its children after the runs
  script   bytes of map script the browser got: the inline scripts in the map iframe plus
           any data files fetched from /app/static (not the vendored libraries) or /media;
           and, for comparison, every WebSocket byte Streamlit sent during load and click

load and click are measured for the dashboard (app.py) and for benchmarks/reference_app.py
(FastMarkerCluster through st_folium), each on its own server, the two taking turns run by
run (reference first in even rounds, dashboard first in odd ones). A step that
exceeds its timeout is printed as "timeout"; the steps that need its output as "skipped".

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,100000] [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, sync_playwright

from benchmarks.corpus import Corpus, generate
from benchmarks.harness import ROOT, launch_chromium, python_bin
from benchmarks.scale_browser import measure_apps, pick_target
from benchmarks.scale_report import SizeResult, tables

APPS = {"reference": "benchmarks/reference_app.py", "dashboard": "app.py"}


@dataclass
class Child:
    """One finished (or killed) subprocess."""

    seconds: float
    peak_kib: int
    returncode: int
    timed_out: bool
    stderr: str


def run_child(command: list[str], env: dict[str, str], timeout_s: float) -> Child:
    """Run `command`; its wall time and its own peak RSS, read with os.wait4 on that pid."""
    killed = threading.Event()
    with tempfile.TemporaryFile(mode="w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=err, text=True)

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        return Child(seconds, usage.ru_maxrss, process.returncode, killed.is_set(), err.read()[-2000:])


def geo_env(corpus: Corpus) -> dict[str, str]:
    return {**os.environ, **corpus.env(), "PYTHONUNBUFFERED": "1"}


def step_note(child: Child) -> str:
    if child.timed_out:
        return "timeout"
    if child.returncode != 0:
        print(f"  failed ({child.returncode}): {child.stderr.strip()[-500:]}", file=sys.stderr)
        return "failed"
    return ""


def measure_build(corpus: Corpus, result: SizeResult, timeout_s: float) -> None:
    out = corpus.data_dir / "places.geojson"
    child = run_child([str(python_bin()), "-m", "geo", "build", "--out", str(out)],
                      geo_env(corpus), timeout_s)
    result.build_note = step_note(child)
    if not result.build_note:
        result.build_s, result.build_peak_kib = child.seconds, child.peak_kib


def measure_export(corpus: Corpus, result: SizeResult, timeout_s: float) -> None:
    out = corpus.root / "export.geojson"
    child = run_child([str(python_bin()), "-m", "geo", "export", "--format", "geojson",
                       "--out", str(out)], geo_env(corpus), timeout_s)
    result.export_note = step_note(child)
    if not result.export_note:
        result.export_s = child.seconds
        result.export_features = len(json.loads(out.read_text(encoding="utf-8"))["features"])


def measure_dumps(corpus: Corpus, result: SizeResult) -> None:
    """The floor for export: json.dumps of the same FeatureCollection, in-process."""
    collection = json.loads((corpus.data_dir / "places.geojson").read_text(encoding="utf-8"))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        json.dumps(collection)
        times.append(time.perf_counter() - start)
    result.dumps_s = min(times)


def startup_seconds() -> float:
    """How long `python -c "import geo.cli.main"` takes: the part of an export no data explains."""
    child = run_child([str(python_bin()), "-c", "import geo.cli.main"], dict(os.environ), 60)
    return child.seconds


@dataclass(frozen=True)
class Options:
    sizes: tuple[int, ...]
    articles_per_100: float
    articles: int | None
    runs: int
    browser: bool
    build_timeout_s: float
    export_timeout_s: float
    load_timeout_s: float
    click_timeout_s: float
    workdir: Path | None
    json_out: Path | None

    def articles_for(self, places: int) -> int:
        if self.articles is not None:
            return self.articles
        return max(1, round(places * self.articles_per_100 / 100))


def measure_size(places: int, options: Options, browser: Browser | None, workdir: Path) -> SizeResult:
    articles = options.articles_for(places)
    result = SizeResult(places, articles)

    def say(message: str) -> None:
        print(f"[{places} places] {message}", file=sys.stderr, flush=True)

    root = workdir / f"corpus-{places}"
    if root.exists():  # an earlier run's, kept by --workdir: the build is measured anew
        shutil.rmtree(root)
    corpus = generate(root, places, articles)
    say(f"corpus written ({articles} articles); building")
    measure_build(corpus, result, options.build_timeout_s)
    say(f"build: {result.build_note or f'{result.build_s:.1f} s'}")
    if result.build_note:
        result.export_note = "skipped"
        return result
    measure_dumps(corpus, result)
    measure_export(corpus, result, options.export_timeout_s)
    say(f"export: {result.export_note or f'{result.export_s:.1f} s'}")
    if browser is None:
        return result
    target = pick_target(corpus.data_dir / "places.geojson")
    result.apps = measure_apps(browser, APPS, corpus, target, options.runs,
                               options.load_timeout_s, options.click_timeout_s)
    for app, measured in result.apps.items():
        say(f"{app}: {measured.summary()}")
    return result


def run(options: Options) -> tuple[list[SizeResult], str]:
    results = []
    with tempfile.TemporaryDirectory(prefix="geo-scale-") as temporary:
        workdir = options.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        if not options.browser:
            return [measure_size(n, options, None, workdir) for n in options.sizes], ""
        with sync_playwright() as driver:
            browser = launch_chromium(driver)
            try:
                for places in options.sizes:
                    results.append(measure_size(places, options, browser, workdir))
                version = browser.version
            finally:
                browser.close()
    return results, version


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="places per corpus, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--articles-per-100", type=float, default=1.0,
                        help="articles per 100 places (default 1: N/100 articles)")
    parser.add_argument("--articles", type=int, help="a fixed number of articles for every size")
    parser.add_argument("--runs", type=int, default=3, help="browser runs per app and size (default 3)")
    parser.add_argument("--no-browser", action="store_true", help="build and export only")
    parser.add_argument("--quick", action="store_true",
                        help="one small corpus (200 places, 2 articles), one run, short timeouts")
    parser.add_argument("--build-timeout", type=float, default=1800, help="seconds (default 1800)")
    parser.add_argument("--export-timeout", type=float, default=1800, help="seconds (default 1800)")
    parser.add_argument("--load-timeout", type=float, default=180, help="seconds (default 180)")
    parser.add_argument("--click-timeout", type=float, default=120, help="seconds (default 120)")
    parser.add_argument("--workdir", type=Path,
                        help="keep the corpora here instead of a temp dir (an earlier run's are replaced)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.articles, args.runs = "200", args.articles or 2, 1
        args.build_timeout = args.export_timeout = min(args.build_timeout, 300)
        args.load_timeout, args.click_timeout = min(args.load_timeout, 60), min(args.click_timeout, 60)
    return Options(
        sizes=tuple(int(size) for size in str(args.sizes).split(",")),
        articles_per_100=args.articles_per_100, articles=args.articles, runs=args.runs,
        browser=not args.no_browser, build_timeout_s=args.build_timeout,
        export_timeout_s=args.export_timeout, load_timeout_s=args.load_timeout,
        click_timeout_s=args.click_timeout, workdir=args.workdir, json_out=args.json)


def commit() -> str:
    found = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                           text=True, check=False)
    return found.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    started, revision = time.strftime("%Y-%m-%d %H:%M"), commit()
    startup = startup_seconds()
    results, version = run(options)
    header = (f"{started} · commit {revision} · {os.cpu_count()} cores · "
              f"python start-up + import geo.cli.main {startup:.2f} s"
              + (f" · Chromium {version}, headless, {options.runs} run(s) per app, median"
                 if options.browser else ""))
    print(header)
    print(tables(results))
    if options.json_out:
        payload: dict[str, Any] = {"header": header, "startup_s": startup,
                                   "sizes": [asdict(result) for result in results]}
        options.json_out.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
