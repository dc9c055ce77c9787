"""Seeds + place list + locations -> the dataset every output is made from."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from geo.archive.store import archive_articles
from geo.config import Settings
from geo.dataset.context import known_places
from geo.dataset.geocoders import (
    CachedGeocoder,
    Gazetteer,
    GeocodeCache,
    Geocoder,
    NominatimGeocoder,
    Unreachable,
)
from geo.dataset.inputs import inputs_digest
from geo.dataset.locate import locate
from geo.dataset.mentions import (
    MentionFinder,
    check_alias_scopes,
    check_aliases,
    check_every_alias_used,
    check_forms,
    primary_mention,
)
from geo.dataset.overrides import Override, apply_overrides, load_overrides
from geo.dates import Period, date_problem
from geo.models import MappedPlace, Mention, Place, Seed
from geo.seeds import load_seeds


@dataclass(frozen=True)
class Dataset:
    """Every place of the place list, with its location (or None) and its mentions."""

    seeds: tuple[Seed, ...]
    places: tuple[MappedPlace, ...]
    warnings: tuple[str, ...] = ()  # answers the location gate skipped, by cache key
    inputs: str = ""  # inputs_digest() of what it was built from, so exports can tell it is current

    @property
    def mapped(self) -> tuple[MappedPlace, ...]:
        return tuple(place for place in self.places if place.location is not None)

    @property
    def unmapped(self) -> tuple[MappedPlace, ...]:
        return tuple(place for place in self.places if place.location is None)


def default_geocoders(settings: Settings, *, online: bool = False) -> list[Geocoder]:
    """The offline gazetteer first, then Nominatim behind its cache (asked only when online)."""
    service: Geocoder = Unreachable(NominatimGeocoder.service)
    if online:
        service = NominatimGeocoder(settings.user_agent, domain=settings.nominatim_domain,
                                    scheme=settings.nominatim_scheme,
                                    timeout=settings.timeout_seconds,
                                    min_delay_seconds=settings.min_delay_seconds)
    cache = GeocodeCache(settings.geocode_cache)
    return [Gazetteer.from_csv(settings.gazetteer_csv), CachedGeocoder(service, cache, online=online)]


def link_mentions(places: Sequence[Place], seeds: Sequence[Seed], file: str,
                  overrides: Sequence[Override] = (), overrides_file: str = "",
                  context_file: str = "context.csv") -> dict[str, list[Mention]]:
    """Every mention of every place across all seeds, corrected by overrides, by place id."""
    check_alias_scopes(places, {seed.name for seed in seeds}, file)
    check_aliases(places, file)
    check_forms(places, context_file)
    finder = MentionFinder(places)  # one automaton: the alias check and the search share each scan
    check_every_alias_used(places, seeds, file, finder)
    found = [mention for seed in seeds for mention in finder.find(seed)]
    by_place: dict[str, list[Mention]] = {place.id: [] for place in places}
    for mention in apply_overrides(found, overrides, overrides_file):
        by_place[mention.place_id].append(mention)
    return by_place


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector while building and writing a dataset.

    A build makes millions of long-lived objects and almost no cycles; the collector's
    repeated full passes over them cost a third of a 100,000-place build and made it grow
    faster than its input.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_dataset(settings: Settings, geocoders: Sequence[Geocoder] | None = None, *,
                  progress: Callable[[int, int, Place], None] | None = None) -> Dataset:
    """Read, link and locate everything; raises a GeoError before anything is written."""
    seeds = load_seeds(settings.seeds_dir, archive_articles(settings.data_dir))  # geo.archive
    places = known_places(settings.places_csv, settings.context_csv)
    file, context_file = str(settings.places_csv), str(settings.context_csv)
    overrides = load_overrides(settings.mention_overrides, (place.id for place in places))
    mentions = link_mentions(places, seeds, file, overrides, str(settings.mention_overrides),
                             context_file)
    seeds_by_name = {seed.name: seed for seed in seeds}
    chain = list(geocoders) if geocoders is not None else default_geocoders(settings)
    offshoots: dict[str, list[str]] = {}
    for place in places:
        if place.origin:
            offshoots.setdefault(place.origin, []).append(place.id)
    mapped = []
    for number, place in enumerate(places, start=1):
        if progress:
            progress(number, len(places), place)
        own = mentions[place.id]
        place = with_period(place, own, seeds_by_name)
        where = context_file if place.layer == "context" else file
        mapped.append(MappedPlace(
            place=place, location=locate(place, chain, where), mentions=tuple(own),
            primary=primary_mention(place, own, seeds_by_name, file),
            offshoots=tuple(offshoots.get(place.id, ())),
        ))
    return Dataset(seeds=seeds, places=tuple(mapped), warnings=skipped_answers(chain),
                   inputs=inputs_digest(settings))


def with_period(place: Place, mentions: Sequence[Mention], seeds: dict[str, Seed]) -> Place:
    """The place, its time filled in from the articles that name it when nothing else gives
    one: from the earliest to the latest dated article (basis "articles", never shown as an
    opening date); unknown when none of them is dated."""
    if place.period.basis != "unknown":
        return place
    dates = sorted({seeds[m.source].date[:10] for m in mentions
                    if date_problem(seeds[m.source].date[:10]) is None})  # a date of ours only
    if not dates:
        return place
    return replace(place, period=Period(dates[0], dates[-1], "the dates of the articles that "
                                        "name it", "articles"))


def skipped_answers(geocoders: Sequence[Geocoder]) -> tuple[str, ...]:
    """What each cached geocoder refused to use, one line per cache key."""
    return tuple(f"{error}; skipped" for geocoder in geocoders
                 for error in getattr(geocoder, "skipped", {}).values())


def lost_places(previous: Sequence[str], dataset: Dataset) -> list[str]:
    """Places mapped in the previous dataset (its feature ids, in order) but not in this one,
    each with why: no longer located, or no longer in the place list."""
    now = {item.place.id: item for item in dataset.places}
    lost = []
    for place_id in previous:
        item = now.get(place_id)
        if item is None:
            lost.append(f"{place_id} (no longer in the place list)")
        elif item.location is None:
            lost.append(f"{place_id} (line {item.place.line}: no longer located)")
    return lost
