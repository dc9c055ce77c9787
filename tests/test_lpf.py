"""`geo export --format lpf`: Linked Places Format, checked field by field against the rules of
World Historical Gazetteer's upload validation (its Draft-07 schema, validation/static/
lpf_v2.0.jsonld in WorldHistoricalGazetteer/whg3, read there; the checks below restate its
rules in our own code)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from geo.cli.main import main
from geo.config import Settings
from geo.dataset.geojson import loads
from geo.dataset.lpf import load_types, to_lpf
from geo.errors import DataError

# The schema's patterns, restated.
VALID_URL = re.compile(r"^(https?://)(www\.)?[a-zA-Z0-9\-.]{2,256}\.[a-z]{2,63}(:[0-9]{1,5})?(/.*)?$")
NAMESPACE_TERM = re.compile(r"^\w+:[^\s]+$")
LINK_NAMESPACE = re.compile(r"^(bnf|cerl|dbp|gn|gnd|gov|loc|pl|tgn|viaf|wd|wp):[^\s]+$")
DATE = re.compile(r"^(-\d{5,})$|^(-?\d{1,4})(-(0[1-9]|1[0-2]))?(-([0-2][0-9]|3[01]))?$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$")
FCLASSES = set("AHLPRSTUVX")
LINK_TYPES = {"closeMatch", "exactMatch", "primaryTopicOf", "subjectOf", "seeAlso"}
CERTAINTY = {"certain", "less-certain", "uncertain"}
YEAR = datetime.now(UTC).year  # the export's year: the bound of an open end


def problems(collection: dict[str, Any]) -> list[str]:
    """Every way the collection breaks a rule of WHG's LPF schema (empty: it passes)."""
    found = []
    if collection.get("type") != "FeatureCollection":
        found.append("type is not FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        return [*found, "features is not a non-empty list"]
    for feature in features:
        found.extend(f"{feature.get('@id')}: {problem}" for problem in feature_problems(feature))
    return found


def url_or_term(value: object) -> bool:
    return isinstance(value, str) and bool(VALID_URL.match(value) or NAMESPACE_TERM.match(value))


def when_problems(when: object) -> list[str]:
    if not isinstance(when, dict) or not isinstance(when.get("timespans"), list):
        return ["when has no timespans list"]
    found = []
    for span in when["timespans"]:
        if "start" not in span:
            found.append("a timespan without a start (LPF reads a lone end as no time)")
        if set(span) - {"start", "end"}:
            found.append(f"a timespan has other keys: {sorted(set(span) - {'start', 'end'})}")
        for end in ("start", "end"):
            if end not in span:
                continue
            value = span[end]
            keys = set(value)
            if keys - {"in", "earliest", "latest"} or not keys or ("in" in keys and len(keys) > 1):
                found.append(f"{end} must be 'in' alone, or earliest and/or latest: {value}")
            found.extend(f"{end} {text!r} is not an LPF date" for text in value.values()
                         if not DATE.match(str(text)))
    return found


def feature_problems(feature: dict[str, Any]) -> list[str]:
    found = [f"required {key} is missing" for key in ("@id", "type", "properties", "geometry", "names")
             if key not in feature]
    if found:
        return found
    if not url_or_term(feature["@id"]):
        found.append("@id is neither a URL nor a namespace term")
    if feature["type"] != "Feature":
        found.append("type is not Feature")
    props = feature["properties"]
    if "title" not in props:
        found.append("properties has no title")
    classes = props.get("fclasses")
    if classes is not None and (not classes or set(classes) - FCLASSES or len(set(classes)) != len(classes)):
        found.append(f"fclasses {classes} are not unique WHG classes")
    if classes is None and "types" not in feature:
        found.append("neither properties.fclasses nor types")
    for code in props.get("ccodes", []):
        if not re.fullmatch(r"[A-Z]{2}", code):
            found.append(f"ccode {code!r}")
    geometry = feature["geometry"]
    if geometry is not None:
        if geometry.get("type") != "Point" or len(geometry.get("coordinates", [])) != 2:
            found.append("geometry is not a Point of two numbers")
        if geometry.get("certainty", "certain") not in CERTAINTY:
            found.append("geometry certainty")
    if "when" not in feature:
        found.append("no when: WHG needs time on the feature or in its parts")
    else:
        found.extend(when_problems(feature["when"]))
    names = feature["names"]
    if not isinstance(names, list) or not names:
        found.append("names is not a non-empty list")
    for name in names:
        if "toponym" not in name and "ethnonym" not in name:
            found.append("a name has no toponym")
        if "lang" in name and not LANGUAGE_TAG.match(name["lang"]):
            found.append(f"language tag {name['lang']!r}")
        for citation in name.get("citations", []):
            if "label" not in citation and "@id" not in citation:
                found.append("a citation has neither label nor @id")
            if "@id" in citation and not url_or_term(citation["@id"]):
                found.append(f"citation @id {citation['@id']!r}")
    for kind in feature.get("types", []):
        if "identifier" in kind and not url_or_term(kind["identifier"]):
            found.append(f"type identifier {kind['identifier']!r}")
    for link in feature.get("links", []):
        if link.get("type") not in LINK_TYPES:
            found.append(f"link type {link.get('type')!r}")
        identifier = str(link.get("identifier", ""))
        if not (VALID_URL.match(identifier) or LINK_NAMESPACE.match(identifier)):
            found.append(f"link identifier {identifier!r}")
    for description in feature.get("descriptions", []):
        if "value" not in description:
            found.append("a description has no value")
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The committed dataset, exported as `geo export --format lpf` writes it."""
    out = tmp_path_factory.mktemp("lpf") / "places.lpf.json"
    assert main(["export", "--format", "lpf", "--out", str(out)], Settings()) == 0
    return dict(json.loads(out.read_text(encoding="utf-8")))


def test_the_export_passes_every_rule_of_the_schema(exported: dict[str, Any]) -> None:
    assert problems(exported) == []
    assert len(exported["features"]) == len(loads(Settings().places_geojson.read_text(
        encoding="utf-8"))["features"])


def test_a_context_place_carries_names_time_types_and_citations(exported: dict[str, Any]) -> None:
    church = next(f for f in exported["features"] if f["@id"] == "jpm:holy-trinity-church")
    assert {name["lang"] for name in church["names"]} == {"en", "ru", "sr-Cyrl", "sr-Latn"}
    assert church["when"]["timespans"] == [{"start": {"in": "1924"}, "end": {"earliest": str(YEAR)}}]
    assert church["types"][0]["identifier"] == "aat:300007466"
    assert church["properties"]["fclasses"] == ["S"]
    assert len(church["names"][0]["citations"]) >= 2
    assert church["descriptions"][0]["value"].startswith("Small white church")


def test_an_unknown_time_is_said_and_bounded_by_the_export(exported: dict[str, Any]) -> None:
    belgrade = next(f for f in exported["features"] if f["@id"] == "jpm:belgrade")
    assert belgrade["when"]["label"] == "date unknown"
    assert belgrade["when"]["timespans"] == [{"start": {"latest": str(YEAR)}}]


@pytest.mark.parametrize(("broken", "said"), [
    ({"@id": "not a term"}, "@id is neither a URL nor a namespace term"),
    ({"names": []}, "names is not a non-empty list"),
    ({"when": {"timespans": [{"start": {"in": "1924", "earliest": "1920"}}]}}, "'in' alone"),
    ({"when": {"timespans": [{"start": {"in": "24 BC"}}]}}, "is not an LPF date"),
    ({"links": [{"type": "closeMatch", "identifier": "wikidata:Q1"}]}, "link identifier"),
    ({"names": [{"toponym": "X", "lang": "Serbian Latin"}]}, "language tag"),
])
def test_the_checker_catches_what_the_schema_refuses(exported: dict[str, Any], broken: dict[str, Any],
                                                     said: str) -> None:
    feature = {**exported["features"][0], **broken}
    assert any(said in problem for problem in feature_problems(feature))


def test_wikidata_links_and_the_id_base(tmp_path: Path) -> None:
    collection = loads(Settings().places_geojson.read_text(encoding="utf-8"))
    feature = dict(collection["features"][0])
    feature["properties"] = {**feature["properties"], "wikidata": "Q1542405"}
    text = to_lpf([feature], load_types(Settings().place_types_csv),
                  id_base="https://example.org/places/", now=datetime(2026, 1, 1, tzinfo=UTC))
    [out] = json.loads(text)["features"]
    assert out["links"] == [{"type": "closeMatch", "identifier": "wd:Q1542405"}]
    assert out["@id"] == f"https://example.org/places/{feature['properties']['id']}"
    assert problems(json.loads(text)) == []


def test_a_type_without_its_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "place_types.csv"
    path.write_text("category,fclass,aat,aat_label,source\nchurch,S,300007466,churches,\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=f"{path}:2, field 'source'"):
        load_types(path)
    assert load_types(Settings().place_types_csv)["church"].aat == "300007466"
