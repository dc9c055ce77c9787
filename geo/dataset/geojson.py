"""RFC 7946 GeoJSON out and in. The only place where (lat, lon) becomes [lon, lat].

Downstream of the build (dashboard, exports) everything works on these Feature dicts, so
the command line and the dashboard export through the same code.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from geo.dataset.labels import collection_title, is_approximate
from geo.dataset.mentions import alias_text
from geo.dataset.places import CATEGORIES
from geo.models import MappedPlace, Mention, Place, Seed
from geo.urls import without_credentials

if TYPE_CHECKING:  # the dashboard reads GeoJSON without loading the build (and geopy)
    from geo.dataset.assemble import Dataset

Feature = dict[str, Any]
DECIMALS = 7  # about a centimetre; RFC 7946 section 11.2 advises no more


def position(lat: float, lon: float) -> list[float]:
    """A GeoJSON position: longitude first, then latitude, rounded."""
    return [round(lon, DECIMALS), round(lat, DECIMALS)]


def latlon(feature: Feature) -> tuple[float, float]:
    """(lat, lon) of a Point feature."""
    lon, lat = feature["geometry"]["coordinates"]
    return float(lat), float(lon)


def mention_json(mention: Mention) -> dict[str, Any]:
    return {"source": mention.source, "start": mention.start, "end": mention.end,
            "text": mention.text, "block": mention.block, "block_kind": mention.block_kind.value,
            "block_start": mention.block_start, "block_end": mention.block_end,
            "excerpt_start": mention.excerpt_start, "excerpt_end": mention.excerpt_end,
            "excerpt": mention.excerpt}


def to_feature(item: MappedPlace, seeds: dict[str, Seed]) -> Feature:
    """One Point Feature; the caller makes sure the place has a location."""
    place, location = item.place, item.location
    assert location is not None, f"{place.id} has no location"
    primary = item.primary
    seed = seeds[primary.source] if primary else None
    properties: dict[str, Any] = {
        "id": place.id, "name": place.name,
        "description": primary.excerpt if primary else "",
        "category": place.category, "category_label": CATEGORIES[place.category],
        "tags": list(place.tags), "aliases": [alias_text(alias) for alias in place.aliases],
        "other_names": list(place.other_names), "locality": place.locality,
        "country": place.country, "precision": location.precision.value,
        "uncertainty_m": location.uncertainty_m,
        "approximate": is_approximate(location.precision, location.uncertainty_m),
        "confidence": place.confidence,
        "public": place.public,
        "sources": list(dict.fromkeys(map(without_credentials,
                                          [*place.sources, *location.evidence]))),
        "location_method": location.method,
        "excerpt": primary.excerpt if primary else "",
        "excerpt_source": primary.source if primary else None,
        "excerpt_start": primary.excerpt_start if primary else None,
        "excerpt_end": primary.excerpt_end if primary else None,
        "mentions": [mention_json(mention) for mention in item.mentions],
        "source_url": without_credentials(seed.url) if seed else None,
        "source_title": seed.title if seed else None,
        "origin": place.origin or None, "offshoots": list(item.offshoots),
    }
    if place.note:
        properties["note"] = place.note
    properties.update(time_properties(place))
    properties.update(layer_properties(place))
    return {"type": "Feature", "id": place.id,
            "geometry": {"type": "Point", "coordinates": position(location.lat, location.lon)},
            "properties": properties}


NAME_KEYS = {"en": "name:en", "ru": "name:ru", "sr-Cyrl": "name:sr", "sr-Latn": "name:sr-Latn"}


def time_properties(place: Place) -> dict[str, Any]:
    """When the place was there: `period_from` and `period_until` as written (null = open or
    unknown), what they rest on (`period_basis`: sources, articles or unknown) and where that
    came from (`period_source`), and its `wave`."""
    period = place.period
    return {"period_from": period.start or None, "period_until": period.end or None,
            "period_basis": period.basis, "period_source": period.source or None,
            "wave": place.wave or None}


def layer_properties(place: Place) -> dict[str, Any]:
    """Which layer it is on (`article` or `context`), its names by language in
    OpenStreetMap's `name:xx` keys, its Wikidata id, and our description (`about`)."""
    found: dict[str, Any] = {"layer": place.layer, "wikidata": place.wikidata or None,
                             "about": place.about or None}
    found.update((NAME_KEYS[tag], name) for tag, name in place.names if tag in NAME_KEYS)
    return found


def articles(seeds: Iterable[Seed]) -> list[dict[str, str]]:
    """Each source article, named by its file (every mention's `source`); date and language
    only when its metadata gives them, so readers can tell a missing date from an empty one."""
    listed = []
    for seed in seeds:
        article = {"file": seed.name, "title": seed.title, "publisher": seed.publisher,
                   "url": without_credentials(seed.url)}
        article.update((key, value) for key, value in (("date", seed.date),
                                                       ("language", seed.language)) if value)
        listed.append(article)
    return listed


def feature_collection(features: Sequence[Feature], article_list: Sequence[dict[str, str]],
                       inputs: str = "") -> dict[str, Any]:
    """A FeatureCollection (no `crs`: RFC 7946 is WGS84 only), naming its source articles.

    `inputs`, when given, is the digest of the files it was built from (a foreign member,
    first so that `built_from` finds it without parsing the rest).
    """
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if inputs:
        head[INPUTS] = inputs
    return {**head, "name": collection_title(article_list), "articles": list(article_list),
            "features": list(features)}


def dataset_collection(dataset: Dataset) -> dict[str, Any]:
    """The FeatureCollection of every mapped place in a dataset."""
    seeds = {seed.name: seed for seed in dataset.seeds}
    return feature_collection([to_feature(item, seeds) for item in dataset.mapped],
                              articles(dataset.seeds), dataset.inputs)


INPUTS = "inputs_sha256"
_INPUTS = re.compile(r'^\{\s*"type": "FeatureCollection",\s*"inputs_sha256": "([0-9a-f]{64})"')


def built_from(text: str) -> str | None:
    """The inputs digest at the head of a built dataset's text, or None when it has none."""
    found = _INPUTS.match(text[:300])
    return found.group(1) if found else None


_FEATURE_LINE = re.compile(r'^\{"type": "Feature", "id": ("(?:[^"\\]|\\.)*")', re.MULTILINE)
_OWN_LAYOUT = '{"type": "FeatureCollection",\n'


def feature_ids(text: str) -> list[str]:
    """The ids of a FeatureCollection's features (ValueError if it is not one).

    In the layout `dumps` writes, each feature opens a line of its own (JSON strings hold no
    raw newline), so the ids are read off those lines without decoding the whole file.
    """
    if text.startswith(_OWN_LAYOUT):
        return [json.loads(match.group(1)) for match in _FEATURE_LINE.finditer(text)]
    features = json.loads(text)["features"]
    if not isinstance(features, list):
        raise ValueError("'features' is not a list")
    return [str(feature["id"]) for feature in features]


def dumps(collection: dict[str, Any]) -> str:
    """Stable, diffable text: one top-level key, and then one feature, per line; UTF-8 readable.

    A changed place changes one line of the diff. Each line goes through json's C encoder,
    which `indent` would switch off (it is several times slower and doubled the build's memory).
    """
    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    head = [f"{line(key)}: {line(value)}" for key, value in collection.items() if key != "features"]
    features = ",\n".join(line(feature) for feature in collection.get("features", []))
    return "{" + ",\n ".join([*head, '"features": [\n' + features + "\n]"]) + "}\n"


SHOWN_PROPERTIES = ("id", "name", "category", "category_label", "locality", "precision",
                    "uncertainty_m", "confidence", "mentions")
MENTION_KEYS = ("source", "start", "end", "text", "excerpt", "excerpt_start", "excerpt_end")


TEXT_PROPERTIES = ("id", "name", "category", "category_label", "locality", "precision",
                   "confidence")
LIST_PROPERTIES = ("tags", "aliases", "other_names", "sources", "offshoots")
MENTION_OFFSETS = ("start", "end", "excerpt_start", "excerpt_end")
MENTION_TEXTS = ("source", "text", "excerpt")


def loads(text: str) -> dict[str, Any]:
    """Parse a FeatureCollection, checking the shape the dashboard relies on (ValueError)."""
    data = json.loads(text, parse_constant=_refuse_constant)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError("not a GeoJSON FeatureCollection")
    if not isinstance(data.get("features"), list):
        raise ValueError("its 'features' is not a list")
    articles = data.get("articles", [])
    if not isinstance(articles, list) or not all(
            isinstance(item, dict) and all(isinstance(v, str) for v in item.values())
            for item in articles):
        raise ValueError("its 'articles' is not a list of objects with text values")
    for index, feature in enumerate(data["features"]):
        check_feature(index, feature)
    return data


_LARGEST = sys.float_info.max


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _is_number(value: Any) -> bool:
    """An int or float (not a bool) that a finite float holds: the browser reads doubles.
    (math.isfinite raised OverflowError on a larger int instead of saying no; a NaN fails
    the comparison, an infinity exceeds the bound.)"""
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and abs(value) <= _LARGEST


def check_feature(index: int, feature: Any) -> None:
    """Raise a ValueError naming the feature if the dashboard could not show it."""
    if not _showable(feature):
        _explain(index, feature)


_NUMBER = (int, float)  # exact types: a bool is neither
_SHOWN = frozenset(SHOWN_PROPERTIES)
_NO_ITEMS: list[Any] = []  # a missing list property (only read)


def _showable(feature: Any) -> bool:
    """check_feature's questions, asked the quick way: exact types instead of isinstance, no
    generators, no message built (100,000 features: 0.4 s, was 0.8 s). It is stricter, never
    laxer, so a True settles it and only a False needs `_explain` for the verdict and message."""
    if type(feature) is not dict:
        return False
    geometry, props = feature.get("geometry"), feature.get("properties")
    if type(geometry) is not dict or type(props) is not dict or geometry.get("type") != "Point":
        return False
    coordinates = geometry.get("coordinates")
    if type(coordinates) is not list or len(coordinates) != 2:
        return False
    lon, lat = coordinates
    # A NaN fails every comparison, an infinity the bounds; an int of any size compares exactly.
    if type(lon) not in _NUMBER or type(lat) not in _NUMBER \
            or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return False
    uncertainty: Any = props.get("uncertainty_m")
    if type(uncertainty) not in _NUMBER or not 0 <= uncertainty <= _LARGEST:
        return False
    if not props.keys() >= _SHOWN:
        return False
    for key in TEXT_PROPERTIES:
        if type(props.get(key)) is not str:
            return False
    for key in LIST_PROPERTIES:
        items = props.get(key, _NO_ITEMS)
        if type(items) is not list:
            return False
        for item in items:
            if type(item) is not str:
                return False
    mentions = props.get("mentions")
    if type(mentions) is not list:
        return False
    for mention in mentions:
        if type(mention) is not dict:
            return False
        for key in MENTION_OFFSETS:
            if type(mention.get(key)) is not int:
                return False
        for key in MENTION_TEXTS:
            if type(mention.get(key)) is not str:
                return False
    return True


def _explain(index: int, feature: Any) -> None:
    """The ValueError for a feature `_showable` turned down (none if only its strictness did)."""
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") != "Point" \
            or not isinstance(geometry.get("coordinates"), list) or len(geometry["coordinates"]) != 2:
        raise ValueError(f"feature {index} is not a Point")
    props = feature.get("properties")
    missing = [key for key in SHOWN_PROPERTIES if not isinstance(props, dict) or key not in props]
    if missing:
        raise ValueError(f"feature {index} lacks {', '.join(missing)}")
    name = f"feature {index} ({str(props['id'])[:80]!r})"
    lon, lat = geometry["coordinates"]
    if not (_is_number(lon) and _is_number(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"{name} has a bad coordinate [{str(lon)[:40]}, {str(lat)[:40]}]: "
                         f"[longitude, latitude] must be numbers within [-180, 180] and [-90, 90]")
    for key in TEXT_PROPERTIES:
        if not isinstance(props.get(key), str):
            raise ValueError(f"{name} has a {key} that is not text")
    for key in LIST_PROPERTIES:
        if not isinstance(props.get(key, []), list) or not all(
                isinstance(item, str) for item in props.get(key, [])):
            raise ValueError(f"{name} has a {key} that is not a list of text")
    if not _is_number(props["uncertainty_m"]) or props["uncertainty_m"] < 0:
        raise ValueError(f"{name} has a bad uncertainty_m")
    if not isinstance(props["mentions"], list):
        raise ValueError(f"{name} has a malformed mention list")
    for mention in props["mentions"]:
        if not isinstance(mention, dict) or any(key not in mention for key in MENTION_KEYS) \
                or not all(isinstance(mention[key], int) and not isinstance(mention[key], bool)
                           for key in MENTION_OFFSETS) \
                or not all(isinstance(mention[key], str) for key in MENTION_TEXTS):
            raise ValueError(f"{name} has a malformed mention")
