"""The editor's loop, measured: reviewing an annotated article on the Review page as an editor
would, counting clicks and keystrokes per decision and timing Save to the rebuilt map.

Method. benchmarks/articles/walking-tour.txt is added (`geo add`) to a copy of the project,
which is built; the dashboard runs on that copy with an editor secret, in headless Chromium
with every request off this machine refused. After signing in and picking the article (not
counted: once per session), every candidate group is decided in the order the page offers
them, by the article's gold annotations (walking-tour.gold.json): a text among "not_places"
is rejected; a candidate the scanner took for a known place is merged into it (found by
typing part of its name); every other one is accepted as suggested. Then one linked mention
is marked "not this place". Only what the editor does is counted: mouse clicks, and keys
typed (each character, and Enter). "Save to map" is the wall-clock time from the click on
Save until the page shows the message that is written after the map's data was rebuilt
(data/places.geojson replaced), which is what the Map page reads next.

    .venv/bin/python benchmarks/editor_loop.py
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Locator, Page, expect, sync_playwright

from benchmarks.harness import (
    ROOT,
    launch_chromium,
    offline_context,
    streamlit_env,
    streamlit_server,
    wait_for_map,
)
from geo.dataset.assemble import default_geocoders
from geo.dataset.publish import build_and_write
from geo.ingest.queue import load_queue, queue_path
from geo.review import placelist
from geo.review.marked import pending_groups
from tests.ingest_helpers import add_article, copy_project

ARTICLE = "walking-tour"
SECRET = "an editor loop benchmark secret"
SETTLED_JS = """() => !document.querySelector('[data-stale="true"]')
  && !document.querySelector('[data-testid="stStatusWidget"]')"""
# The run after a save has finished and shows a success message (not the last save's).
SAID_JS = """(before) => {
  if (document.querySelector('[data-stale="true"]')
      || document.querySelector('[data-testid="stStatusWidget"]')) return null;
  const alert = document.querySelector('[data-testid="stAlertContentSuccess"]');
  return alert && alert.innerText !== before ? alert.innerText : null;
}"""


@dataclass
class Counter:
    """The editor's actions on one page: clicks and keys, each counted as it is done."""

    page: Page
    clicks: int = 0
    keys: int = 0

    def settle(self) -> None:
        self.page.wait_for_timeout(150)
        self.page.wait_for_function(SETTLED_JS, timeout=120_000)

    def click_text(self, text: str) -> None:
        self.settle()
        self.page.get_by_text(text, exact=True).click()
        self.clicks += 1

    def click_button(self, name: str) -> None:
        self.settle()
        self.page.get_by_role("button", name=name).first.click()
        self.clicks += 1

    def search(self, label: str, typed: str) -> None:
        """Click a select box, type part of a name, Enter picks the first match (checked to
        be a place whose label holds what was typed)."""
        self.settle()
        self.page.get_by_label(label, exact=True).click()
        self.clicks += 1
        self.page.keyboard.type(typed)
        expect(self.page.get_by_role("option").first).to_contain_text(typed)
        self.page.keyboard.press("Enter")
        self.keys += len(typed) + 1

    def saved(self, button: Locator) -> tuple[float, str]:
        """Click `button`; seconds until the run that follows shows its message, and the message."""
        self.settle()
        alert = self.page.get_by_test_id("stAlertContentSuccess")
        said = alert.first.inner_text() if alert.count() else ""
        started = time.perf_counter()
        button.click()
        self.clicks += 1
        message = self.page.wait_for_function(SAID_JS, arg=said, polling="raf", timeout=120_000)
        return time.perf_counter() - started, str(message.json_value())


def typed_part(name: str) -> str:
    """What an editor types to find a place: its longest word ("Kalemegdan" in "Belgrade
    Fortress (Kalemegdan)")."""
    return str(max(re.findall(r"\w+", name), key=len))


def decide(counter: Counter, text: str, place_id: str | None, not_places: set[str],
           names: dict[str, str]) -> tuple[str, float, str]:
    """One decision by the gold annotations; (kind, seconds Save to map, message)."""
    if text in not_places:
        kind = "reject"
        counter.click_text("Reject")
    elif place_id:
        kind = "merge"
        counter.click_text("Merge into an existing place")
        counter.search("Merge into (type part of its name)", names[place_id])
    else:
        kind = "accept"
        counter.click_text("Accept as a new place")
    save = counter.page.get_by_role("button", name=re.compile("^(Accept|Merge|Reject) “"))
    seconds, message = counter.saved(save)
    return kind, seconds, message


def unlink(counter: Counter, typed: str) -> float:
    """Mark the first linked mention of a place "not this place"; seconds to the message."""
    counter.click_text("Linked places: not this place?")
    counter.search("Place (type part of its name)", typed)
    counter.settle()
    box = counter.page.get_by_role("group").filter(has_text="Linked places")
    seconds, message = counter.saved(box.get_by_role("button", name="Not this place").first)
    print(f"  {message}")
    return seconds


def main() -> None:
    gold = json.loads((ROOT / "benchmarks" / "articles" / f"{ARTICLE}.gold.json").read_text("utf-8"))
    not_places = set(gold["not_places"])
    with tempfile.TemporaryDirectory(prefix="editor-loop-") as temp:
        settings = copy_project(Path(temp))
        add_article(settings, Path(temp), ARTICLE,
                    (ROOT / "benchmarks" / "articles" / f"{ARTICLE}.txt").read_text("utf-8"))
        build_and_write(settings, default_geocoders(settings))
        names = {row["id"]: typed_part(row["name"]) for row in placelist.open_list(settings.places_csv)[0]}
        groups = pending_groups(load_queue(queue_path(settings.data_dir, ARTICLE)))
        env = streamlit_env(GEO_DATA_DIR=str(settings.data_dir), GEO_SEEDS_DIR=str(settings.seeds_dir),
                            GEO_EDITOR_SECRET=SECRET)
        with streamlit_server("app.py", env=env) as url, sync_playwright() as driver:
            browser = launch_chromium(driver)
            page = offline_context(browser).new_page()
            page.set_viewport_size({"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(url)
            wait_for_map(page)
            page.get_by_label("Editor secret").fill(SECRET)
            page.get_by_label("Your name (recorded with your edits)").fill("Benchmark Editor")
            page.get_by_role("button", name="Start editing").click()
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Review").click()
            page.get_by_label("Article", exact=True).click()
            page.get_by_role("option", name=ARTICLE).first.click()
            rows: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
            for group in groups:
                counter = Counter(page)
                kind, seconds, message = decide(counter, group.text, group.first.place_id, not_places,
                                                names)
                rows[kind].append((counter.clicks, counter.keys, seconds))
                print(f"  {kind:<7} {group.text!r:<36} {counter.clicks} clicks, {counter.keys:>2} keys, "
                      f"Save to map {seconds:.2f} s: {message}")
            counter = Counter(page)
            seconds = unlink(counter, "Moskva")
            rows["unlink"].append((counter.clicks, counter.keys, seconds))
            print(f"  unlink  {'a Hotel Moskva mention':<36} {counter.clicks} clicks, {counter.keys:>2} "
                  f"keys, Save to map {seconds:.2f} s")
            browser.close()
    print(f"\n{ARTICLE}.txt, {len(groups)} candidate groups; per decision (median; max):")
    print(f"{'decision':<8} {'n':>2} {'clicks':>8} {'keys':>8} {'Save to map (s)':>18}")
    for kind in ("accept", "merge", "reject", "unlink"):
        found = rows.get(kind, [])
        if not found:
            print(f"{kind:<8}  0  (no such candidate in this article)")
            continue
        clicks, keys, times = ([row[i] for row in found] for i in range(3))
        print(f"{kind:<8} {len(found):>2} {statistics.median(clicks):>4g}; {max(clicks):<2} "
              f"{statistics.median(keys):>4g}; {max(keys):<2} "
              f"{statistics.median(times):>9.2f}; {max(times):.2f}")
    print("targets: accept <= 2 clicks; merge <= 3 clicks + typing part of a name; Save to map <= 1.5 s")


if __name__ == "__main__":
    main()
