"""What the dashboard loads once: the built places and the articles they come from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from geo.config import Settings
from geo.errors import ViewDataError
from geo.geojson import Feature, loads
from geo.labels import tooltip_text
from geo.models import Seed
from geo.render import Span
from geo.seeds import load_seeds


@dataclass(frozen=True)
class ViewData:
    """Features from data/places.geojson plus the seed texts their offsets point into."""

    features: tuple[Feature, ...]
    articles: tuple[dict[str, str], ...]
    seeds: dict[str, Seed]

    @cached_property
    def by_id(self) -> dict[str, Feature]:
        return {f["properties"]["id"]: f for f in self.features}

    @cached_property
    def names(self) -> dict[str, str]:
        return {f["properties"]["id"]: f["properties"]["name"] for f in self.features}

    @cached_property
    def by_tooltip(self) -> dict[str, str]:
        """Place ids by the tooltip text a map click reports."""
        return {tooltip_text(f["properties"]): f["properties"]["id"] for f in self.features}

    def spans(self, source: str) -> list[Span]:
        """Every mention in one article, for the article view."""
        return [Span(m["start"], m["end"], f["properties"]["id"], f["properties"]["name"])
                for f in self.features for m in f["properties"].get("mentions", [])
                if m["source"] == source]


def load_view(settings: Settings) -> ViewData:
    """Read the built GeoJSON and the seeds, or explain what to run."""
    path = settings.places_geojson
    try:
        collection: dict[str, Any] = loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ViewDataError(f"{path} does not exist yet: run `python -m geo build`.") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise ViewDataError(f"{path} is not valid place data ({err}): "
                            f"run `python -m geo build` to rebuild it.") from err
    seeds = {seed.name: seed for seed in load_seeds(settings.seeds_dir)}
    for feature in collection["features"]:
        for mention in feature["properties"].get("mentions", []):
            seed = seeds.get(mention["source"])
            if seed is None or seed.text[mention["start"]:mention["end"]] != mention["text"]:
                raise ViewDataError(f"{path} is out of date with seeds/ "
                                    f"(mention of {feature['properties']['id']!r}): "
                                    f"run `python -m geo build`.")
    return ViewData(tuple(collection["features"]), tuple(collection.get("articles", [])), seeds)
