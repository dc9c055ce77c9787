"""Frozen domain types. Coordinates are (lat, lon) everywhere except inside geo.dataset.geojson."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter

from geo.dates import Period


class Precision(StrEnum):
    """How exactly a coordinate pins a place, finest first."""

    BUILDING = "building"
    STREET = "street"
    NEIGHBOURHOOD = "neighbourhood"
    CITY = "city"
    REGION = "region"
    COUNTRY = "country"

    @property
    def rank(self) -> int:
        """0 for building, growing as the location gets coarser."""
        return list(Precision).index(self)

    @property
    def default_uncertainty_m(self) -> int:
        """A radius that honestly covers where the place may be at this precision."""
        return {"building": 30, "street": 200, "neighbourhood": 1000, "city": 8000,
                "region": 50000, "country": 250000}[self.value]

    @property
    def is_approximate(self) -> bool:
        """Whether a pin at this precision must not be drawn as if it were the door."""
        return self is not Precision.BUILDING


class BlockKind(StrEnum):
    """What a block of an article is: body text, a section heading or a photo caption."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    CAPTION = "caption"


@dataclass(frozen=True)
class Block:
    """A blank-line separated block of a seed; start/end are indices into the seed text."""

    index: int
    kind: BlockKind
    start: int
    end: int


@dataclass(frozen=True)
class Seed:
    """One source article: its file name in seeds/, decoded text, metadata and structure."""

    name: str
    text: str
    title: str
    publisher: str
    url: str
    blocks: tuple[Block, ...]
    date: str = ""  # when it was published, as its metadata gives it (ISO 8601 for added ones)
    language: str = ""  # a language code such as "en" or "sr-Latn", when known

    def block_at(self, offset: int) -> Block:
        """The block containing character `offset` (blocks are in order and disjoint: bisect)."""
        index = bisect_right(self.blocks, offset, key=attrgetter("start")) - 1
        if index >= 0 and offset < self.blocks[index].end:
            return self.blocks[index]
        raise ValueError(f"offset {offset} is outside every block of {self.name}")


@dataclass(frozen=True)
class Location:
    """Where a place is, how exactly, and why we believe it."""

    lat: float
    lon: float
    precision: Precision
    uncertainty_m: int
    method: str  # "hand", "click", "gazetteer", or "geocoder:<service>"
    evidence: tuple[str, ...] = ()  # source URLs, or the geocoder query and its answer


@dataclass(frozen=True)
class Place:
    """One row of data/places.csv, validated."""

    id: str
    name: str
    aliases: tuple[str, ...]
    other_names: tuple[str, ...]
    category: str
    tags: tuple[str, ...]
    locality: str
    country: str
    precision: Precision
    confidence: str
    public: bool
    sources: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    uncertainty_m: int | None = None
    address: str = ""
    neighbourhood: str = ""
    origin: str = ""
    key_passage: str = ""
    note: str = ""
    location_method: str = ""  # "" (typed or geocoded) or "click" (set by clicking the map)
    located_by: str = ""  # the editor who clicked
    located_at: str = ""  # when, ISO 8601 UTC
    location_note: str = ""  # why the click is right, when no source URL says so
    line: int = 0  # where the row sits in the place list, for error messages
    layer: str = "article"  # "article" (data/places.csv) or "context" (data/context.csv)
    wave: str = ""  # "first", "2022", "both", "landmark", or "" (none said)
    period: Period = field(default_factory=Period)  # when it was there
    names: tuple[tuple[str, str], ...] = ()  # (language tag, name): its name in each language
    wikidata: str = ""  # a Wikidata id ("Q…"), when one is known
    about: str = ""  # a short description in our words (context places)
    forms: tuple[str, ...] = ()  # case forms of its names, found in articles like aliases
    city_names: tuple[str, ...] = ()  # its forms link only in an article naming its city so

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Mention:
    """One place named at [start, end) of a seed; the excerpt is an exact substring too."""

    place_id: str
    source: str
    start: int
    end: int
    text: str
    block: int
    block_kind: BlockKind
    block_start: int
    block_end: int
    excerpt_start: int
    excerpt_end: int
    excerpt: str


@dataclass(frozen=True)
class MappedPlace:
    """A place with its final location and every passage that names it."""

    place: Place
    location: Location | None
    mentions: tuple[Mention, ...]
    primary: Mention | None
    offshoots: tuple[str, ...] = field(default=())
