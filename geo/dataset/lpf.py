"""Linked Places Format (LPF), the Pelagios and World Historical Gazetteer format for places
with time, made from the built GeoJSON features.

Each place becomes a Feature with an `@id`, its names tagged by language (en, ru, sr-Cyrl,
sr-Latn) and cited, its type (a WHG feature class, and a Getty AAT concept where
data/place_types.csv gives one), a `when` timespan, a Wikidata link, our description and
its sources as citations. A place whose time is unknown says so in the `when` label, with
the one bound that is certain: it was there no later than the export.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geo.csvfile import read_table
from geo.dataset.geojson import NAME_KEYS, Feature, latlon
from geo.errors import DataError
from geo.urls import url_problem

LPO_CONTEXT = "https://whgazetteer.org/schema/lpo_v2.0.jsonld"
DEFAULT_ID_BASE = "jpm:"  # a namespace term (journalism places map); --id-base gives a URL
TYPE_FIELDS = ("category", "fclass", "aat", "aat_label", "source")
FCLASSES = set("AHLPRSTUVX")


@dataclass(frozen=True)
class PlaceType:
    """A category's WHG feature class and, when known, its Getty AAT concept and label."""

    fclass: str
    aat: str = ""
    label: str = ""


def load_types(path: Path) -> dict[str, PlaceType]:
    """data/place_types.csv: category -> its feature class and AAT concept (with a source)."""
    def check_header(header: list[str]) -> None:
        if tuple(header) != TYPE_FIELDS:
            raise DataError(str(path), f"header must be {','.join(TYPE_FIELDS)}", line=1)

    _, rows = read_table(path, check_header)
    types = {}
    for row in rows:
        values = {key: value.strip() for key, value in row.values.items()}
        if values["fclass"] not in FCLASSES:
            raise DataError(str(path), f"{values['fclass']!r} is not a WHG feature class",
                            line=row.line, field="fclass")
        if values["aat"] and not (values["aat"].isdigit() and values["aat"].startswith("300")):
            raise DataError(str(path), f"{values['aat']!r} is not an AAT id (300…)",
                            line=row.line, field="aat")
        if values["aat"] and (not values["aat_label"] or url_problem(values["source"])):
            raise DataError(str(path), "an AAT id needs its label and the URL it was read from",
                            line=row.line, field="source")
        types[values["category"]] = PlaceType(values["fclass"], values["aat"], values["aat_label"])
    return types


def when(props: Mapping[str, Any], year: int) -> dict[str, Any]:
    """The place's time as an LPF `when`. A timespan always has a start; an open end says the
    place was still there at the export (`end: {earliest: year}`), an unknown start only that
    it began no later than it ended. A place of unknown time says so, with the one certain
    bound: it had begun by the export."""
    start, end, basis = props.get("period_from"), props.get("period_until"), props.get("period_basis")
    if basis == "unknown" or not (start or end):
        return {"timespans": [{"start": {"latest": str(year)}}], "label": "date unknown"}
    span: dict[str, Any] = {"start": {"in": start} if start else {"latest": end},
                            "end": {"in": end} if end else {"earliest": str(year)}}
    label = ("named in articles of these dates (not an opening date)" if basis == "articles"
             else str(props.get("period_source") or ""))
    return {"timespans": [span], "label": label}


def names(props: Mapping[str, Any], citations: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Its name in each language it has one, then its own name if that is none of them."""
    found = [{"toponym": props[key], "lang": lang, "citations": citations}
             for lang, key in NAME_KEYS.items() if props.get(key)]
    if props["name"] not in {name["toponym"] for name in found}:
        found.insert(0, {"toponym": props["name"], "citations": citations})
    return found


def certainty(props: Mapping[str, Any]) -> str:
    if not props.get("approximate"):
        return "certain"
    return "less-certain" if props["precision"] in ("building", "street", "neighbourhood") else "uncertain"


def to_feature(feature: Feature, types: Mapping[str, PlaceType], id_base: str, year: int) -> dict[str, Any]:
    props = feature["properties"]
    lat, lon = latlon(feature)
    citations = [{"label": "source", "@id": url} for url in props.get("sources", [])
                 if url_problem(url) is None]
    if props.get("source_url"):
        citations.append({"label": str(props.get("source_title") or "article"),
                          "@id": props["source_url"]})
    kind = types.get(props["category"], PlaceType("S"))
    out: dict[str, Any] = {
        "@id": f"{id_base}{props['id']}", "type": "Feature",
        "properties": {"title": props["name"], "ccodes": [props["country"]], "fclasses": [kind.fclass]},
        "geometry": {"type": "Point", "coordinates": [lon, lat], "certainty": certainty(props)},
        "names": names(props, citations),
        "when": when(props, year),
    }
    if kind.aat:
        out["types"] = [{"identifier": f"aat:{kind.aat}", "label": kind.label,
                         "sourceLabels": [{"label": props["category"], "lang": "en"}]}]
    if props.get("wikidata"):
        out["links"] = [{"type": "closeMatch", "identifier": f"wd:{props['wikidata']}"}]
    about = props.get("about") or (f"{props['category_label']} named in "
                                    f"“{props.get('source_title') or 'an article'}”")
    out["descriptions"] = [{"value": about, "lang": "en"}]
    return out


def to_lpf(features: Sequence[Feature], types: Mapping[str, PlaceType], *,
           id_base: str = DEFAULT_ID_BASE, now: datetime | None = None) -> str:
    """The features as one LPF FeatureCollection (JSON text)."""
    year = (now or datetime.now(UTC)).year
    collection = {"type": "FeatureCollection", "@context": LPO_CONTEXT,
                  "features": [to_feature(feature, types, id_base, year) for feature in features]}
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
