"""Scan an article into its review queue: candidates found, located where they can be, and
folded into the queue so that decisions already made are kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from geo.config import Settings
from geo.dataset.geocoders import Geocoder, Query
from geo.dataset.places import load_places
from geo.errors import ReviewError
from geo.ingest.candidates import Scan, scan
from geo.ingest.queue import (
    Candidate,
    Suggestion,
    check_name,
    merge_scan,
    open_queue,
    queue_lock,
    queue_path,
    write_queue,
)
from geo.seeds import read_seed_text

_PRECISION_BY_CATEGORY = {"street": "street", "neighbourhood": "neighbourhood", "park": "neighbourhood",
                          "river": "city", "city": "city", "event": "city", "residence": "city",
                          "region": "region", "country": "country"}


class HomeCity(NamedTuple):
    """The locality to propose for an article's venues: a name to geocode with, no point."""

    name: str
    country: str


def home_city(scan_result: Scan, settings: Settings) -> HomeCity | None:
    """The city the article mentions most, as the locality to propose for its venues."""
    cities = [c.suggestion for c in scan_result.candidates
              if c.suggestion and c.suggestion.precision == "city"]
    places = {p.id: p for p in load_places(settings.places_csv)}
    counts = Counter((s.name, s.country) for s in cities)
    counts.update((places[m.place_id].locality, places[m.place_id].country)
                  for m in scan_result.linked if places[m.place_id].category == "city")
    if not counts:
        return None
    (name, country), _ = counts.most_common(1)[0]
    return HomeCity(name, country)


def locate_candidates(candidates: Sequence[Candidate], city: HomeCity | None,
                      geocoders: Sequence[Geocoder]) -> list[Candidate]:
    """Suggestions for candidates that have none, from the geocoder chain (cache and rate limit)."""
    located = []
    for candidate in candidates:
        if candidate.suggestion is None and candidate.status == "pending" and city is not None:
            query = Query(f"{candidate.name}, {city.name}", (city.country.lower(),))
            for geocoder in geocoders:
                result = geocoder.geocode(query)
                if result is not None:
                    method = "gazetteer" if result.service == "gazetteer" else f"geocoder:{result.service}"
                    suggestion = Suggestion(result.display_name, result.lat, result.lon,
                                            _PRECISION_BY_CATEGORY.get(candidate.category, "building"),
                                            method, city.country, result.source)
                    candidate = replace(candidate, suggestion=suggestion)
                    break
        located.append(candidate)
    return located


def scan_article(settings: Settings, name: str, geocoders: Sequence[Geocoder] = ()
                 ) -> tuple[Scan, list[Candidate]]:
    """Scan seeds/NAME.txt, fold the result into its queue (keeping decisions) and save it.

    The geocoders are asked before the queue is locked; the fold and the save happen under
    the lock, so a decision made meanwhile is kept.
    """
    text = read_seed_text(article_path(settings, name))
    result = scan(text, load_places(settings.places_csv), source=f"{name}.txt")
    path = queue_path(settings.data_dir, name)
    found = list(result.candidates)
    if geocoders:
        found = locate_candidates(found, home_city(result, settings), geocoders)
    with queue_lock(path):
        queue = merge_scan(open_queue(path)[0], found)
        write_queue(path, queue)
    return result, sorted(queue, key=lambda c: (c.start, c.text))


def article_path(settings: Settings, name: str) -> Path:
    """seeds/NAME.txt for an article that is there; anything else (a path, a typo) is refused."""
    path = settings.seeds_dir / f"{check_name(name)}.txt"
    if not path.is_file():
        raise ReviewError(f"no article {name!r} in {settings.seeds_dir} (give the name of a "
                          "seeds/NAME.txt file, without .txt)")
    return path
