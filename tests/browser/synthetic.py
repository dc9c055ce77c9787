"""A valid synthetic data set of many places, written directly (no build), for size tests.

One article names every place once, in its own paragraph; places.geojson points each mention
into it, so geo.web.viewdata.load_view accepts it. A tenth of the places are approximate and a
quarter share one city-centre point, so clusters and circles are exercised too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.harness import streamlit_env

TITLE = "A synthetic corpus"
URL = "https://example.org/synthetic"
ARTICLE = "synthetic.txt"
CENTRE = (44.817, 20.467)


def place_id(number: int) -> str:
    return f"place-{number:05d}"


def place_name(number: int) -> str:
    return f"Synthetic Place {number:05d}"


def sentence(number: int) -> str:
    return f"Regulars of {place_name(number)} talk about the river and the war, place {number}."


@dataclass(frozen=True)
class SyntheticData:
    data_dir: Path
    seeds_dir: Path
    count: int

    def env(self) -> dict[str, str]:
        return streamlit_env(GEO_DATA_DIR=str(self.data_dir), GEO_SEEDS_DIR=str(self.seeds_dir))


def _feature(number: int, start: int, paragraph: str) -> dict[str, Any]:
    shared = number % 4 == 0
    approximate = shared or number % 10 == 1
    lat = CENTRE[0] if shared else CENTRE[0] + ((number * 37) % 400 - 200) / 4000
    lon = CENTRE[1] if shared else CENTRE[1] + ((number * 53) % 400 - 200) / 3000
    name = place_name(number)
    offset = paragraph.index(name)
    mention = {"source": ARTICLE, "start": start + offset, "end": start + offset + len(name),
               "text": name, "block": number, "block_kind": "paragraph", "block_start": start,
               "block_end": start + len(paragraph), "excerpt_start": start,
               "excerpt_end": start + len(paragraph), "excerpt": paragraph}
    props = {
        "id": place_id(number), "name": name, "description": paragraph,
        "category": "bar" if number % 2 else "landmark",
        "category_label": "Bar" if number % 2 else "Landmark", "tags": ["synthetic"],
        "aliases": [], "other_names": [], "locality": "Belgrade", "country": "RS",
        "precision": "city" if approximate else "building",
        "uncertainty_m": 8000 if shared else 500 if approximate else 30,
        "approximate": approximate, "confidence": "low", "public": True,
        "sources": ["https://example.org/source"], "location_method": "hand",
        "excerpt": paragraph, "excerpt_source": ARTICLE, "excerpt_start": start,
        "excerpt_end": start + len(paragraph), "mentions": [mention], "source_url": URL,
        "source_title": TITLE, "origin": None, "offshoots": []}
    return {"type": "Feature", "id": props["id"],
            "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
            "properties": props}


def build_synthetic_data(root: Path, count: int) -> SyntheticData:
    """seeds/ and data/places.geojson under `root`, for `count` places."""
    data = SyntheticData(root / "data", root / "seeds", count)
    data.seeds_dir.mkdir(parents=True)
    data.data_dir.mkdir(parents=True)
    paragraphs, features, start = [], [], 0
    for number in range(count):
        paragraph = sentence(number)
        features.append(_feature(number, start, paragraph))
        paragraphs.append(paragraph)
        start += len(paragraph) + 2
    (data.seeds_dir / ARTICLE).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (data.seeds_dir / "synthetic.toml").write_text(
        f'title = "{TITLE}"\npublisher = "Test press"\nurl = "{URL}"\n', encoding="utf-8")
    collection = {"type": "FeatureCollection", "name": f"Places in “{TITLE}”",
                  "articles": [{"file": ARTICLE, "title": TITLE, "publisher": "Test press",
                                "url": URL}],
                  "features": features}
    (data.data_dir / "places.geojson").write_text(json.dumps(collection, ensure_ascii=False),
                                                  encoding="utf-8")
    return data
