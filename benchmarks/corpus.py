"""A synthetic, valid corpus of N places across M articles, laid out like the repository.

benchmarks/scale.py builds and serves it at 1,000 to 100,000 places. Everything comes from
a seeded random generator, so a size always gives the same files. Place names are made-up
words ("Kafana Drovemir") built from syllables and checked for uniqueness, so an alias can
never match an ordinary word of the filler text by accident.

Four places in five have a period (from a year between 1900 and 2025, some with an end), so
the timeline's steps change what the map holds. Each place is one of: a building with hand
coordinates and a source URL (most), a street landmark with hand coordinates, an approximate
place located by the gazetteer written here (neighbourhood or city), or a private home
(public=no, city precision, no coordinates).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

# The place list's header (geo/dataset/places.py COLUMNS), spelled out so the benchmark does not
# depend on the library it measures.
PLACE_COLUMNS = ("id", "name", "aliases", "other_names", "category", "tags", "locality", "country",
                 "lat", "lon", "precision", "uncertainty_m", "confidence", "public", "sources",
                 "address", "neighbourhood", "origin", "key_passage", "note", "wave", "period_from",
                 "period_until", "period_source")
OVERRIDE_COLUMNS = ("source", "start", "text", "place", "reason")  # geo/dataset/overrides.py FIELDS


@dataclass(frozen=True)
class City:
    name: str
    lat: float
    lon: float
    weight: float  # share of the places
    neighbourhoods: tuple[str, ...]


COUNTRY = "RS"
CITIES = (
    City("Belgrade", 44.817, 20.467, 0.7, ("Dorćol", "Vračar", "Zemun", "Savamala", "Novi Beograd")),
    City("Novi Sad", 45.2542, 19.8425, 0.1, ("Liman", "Detelinara")),
    City("Niš", 43.3209, 21.8958, 0.08, ("Palilula",)),
    City("Kragujevac", 44.0128, 20.9114, 0.07, ("Aerodrom",)),
    City("Subotica", 46.1003, 19.6658, 0.05, ("Prozivka",)),
)
JITTER_DEG = 0.03  # hand coordinates stay within ~3 km of the city centre, well inside RS

# Place kinds, in a fixed rotation so that even a tiny corpus has every kind:
# (category, name prefix, precision, public, hand coordinates)
KINDS = (
    ("bar", "Bar", "building", True, True), ("cafe", "Kafana", "building", True, True),
    ("office", "Kancelarija", "building", True, True), ("cafe", "Kafe", "building", True, True),
    ("organisation", "Udruženje", "building", True, True), ("bar", "Klub", "building", True, True),
    ("landmark", "Trg", "street", True, True), ("organisation", "Centar", "neighbourhood", True, False),
    ("bar", "Podrum", "city", True, False), ("residence", "Stan", "city", False, False),
)
ONSETS = ("b", "br", "d", "dr", "g", "gr", "k", "kr", "l", "m", "n", "p", "pr", "r", "s", "st",
          "t", "tr", "v", "z", "ž", "č", "š", "j")
VOWELS = ("a", "e", "i", "o", "u")
CODAS = ("", "", "", "n", "r", "m", "v", "j", "k")
FILLER = ("the", "a", "room", "was", "full", "of", "exiles", "who", "talked", "about", "home",
          "and", "work", "late", "into", "night", "with", "old", "friends", "new", "arrivals",
          "from", "north", "every", "week", "someone", "brought", "news", "papers", "books",
          "wine", "coffee", "music", "on", "quiet", "evenings", "crowded", "weekends", "after",
          "war", "began", "they", "found", "it", "through", "word", "mouth", "near", "river",
          "under", "bridge", "by", "tram", "stop", "small", "courtyard", "behind", "market",
          "in", "winter", "summer", "people", "queued", "for", "documents", "rent", "jobs")
OPENERS = ("That winter", "Later", "Everyone agreed", "By spring", "Some evenings", "In the end",
           "Nobody knew", "At first")
VERBS = ("opened near", "was crowded with", "became a refuge for", "hosted readings for",
         "served strong coffee to", "stayed open late for", "was known among", "welcomed")


@dataclass(frozen=True)
class Corpus:
    """Where a generated corpus lives, and what it holds."""

    root: Path
    places: int
    articles: int

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def env(self) -> dict[str, str]:
        """What points `python -m geo` and the apps at this corpus (added to an environment)."""
        return {"GEO_SEEDS_DIR": str(self.seeds_dir), "GEO_DATA_DIR": str(self.data_dir)}


class Names:
    """Made-up capitalised words, each handed out once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used = {word.casefold() for word in FILLER}
        self.used |= {word.casefold() for phrase in OPENERS + VERBS for word in phrase.split()}
        self.used |= {prefix.casefold() for _, prefix, *_ in KINDS}

    def word(self) -> str:
        while True:
            syllables = self.rng.randint(3, 4)
            word = "".join(self.rng.choice(ONSETS) + self.rng.choice(VOWELS) for _ in range(syllables))
            word += self.rng.choice(CODAS)
            if word.casefold() not in self.used:
                self.used.add(word.casefold())
                return word.capitalize()


@dataclass(frozen=True)
class Planned:
    """One place: its place-list row and the spellings the articles will use."""

    row: dict[str, str]
    name: str
    short: str  # a second, one-word alias, or "" when the place has none


def plan_place(index: int, rng: random.Random, names: Names) -> Planned:
    category, prefix, precision, public, hand = KINDS[index % len(KINDS)]
    city = rng.choices(CITIES, weights=[city.weight for city in CITIES])[0]
    word = names.word()
    name = f"{prefix} {word}"
    short = word if index % 4 == 0 else ""
    place_id = f"{word.lower().translate(str.maketrans('žčš', 'zcs'))}-{index}"
    row = dict.fromkeys(PLACE_COLUMNS, "")
    row.update(id=place_id, name=name, aliases=" | ".join(filter(None, (name, short))),
               category=category, tags=rng.choice(("exile", "food and drink", "work", "politics")),
               locality=city.name, country=COUNTRY, precision=precision,
               confidence="high" if hand else "low", public="yes" if public else "no")
    if index % 5:  # a period for four places in five (no random draw: the corpus stays as it was)
        first = 1900 + index * 7 % 126
        row.update(period_from=str(first), period_until="" if index % 3 else str(first + 15),
                   period_source="synthetic")
    if hand:
        row.update(lat=f"{city.lat + rng.uniform(-JITTER_DEG, JITTER_DEG):.6f}",
                   lon=f"{city.lon + rng.uniform(-JITTER_DEG, JITTER_DEG):.6f}",
                   sources=f"https://example.org/places/{place_id}")
    elif precision == "neighbourhood":
        row.update(neighbourhood=rng.choice(city.neighbourhoods))
    return Planned(row, name, short)


def sentence(rng: random.Random, subject: str) -> str:
    """One sentence about `subject`, ending with a full stop."""
    words = " ".join(rng.choice(FILLER) for _ in range(rng.randint(6, 12)))
    return f"{subject} {rng.choice(VERBS)} {words}."


def filler_sentence(rng: random.Random) -> str:
    words = " ".join(rng.choice(FILLER) for _ in range(rng.randint(5, 10)))
    return f"{rng.choice(OPENERS)} {words}."


def article_text(rng: random.Random, subjects: list[str]) -> str:
    """Paragraphs of three to five sentences, one place named per sentence, some filler."""
    sentences = []
    for subject in subjects:
        sentences.append(sentence(rng, subject))
        if rng.random() < 0.2:
            sentences.append(filler_sentence(rng))
    paragraphs, start = [], 0
    while start < len(sentences):
        size = rng.randint(3, 5)
        paragraphs.append(" ".join(sentences[start:start + size]))
        start += size
    return "Notes from the road\n\n" + "\n\n".join(paragraphs) + "\n"


def mentions_by_article(plans: list[Planned], articles: int, rng: random.Random) -> list[list[str]]:
    """The spellings each article names: every place in its own article (with its short alias
    too, so every alias occurs), and a fifth of the places once more in another article."""
    subjects: list[list[str]] = [[] for _ in range(articles)]
    for index, plan in enumerate(plans):
        home = index * articles // len(plans)
        subjects[home].append(plan.name)
        if plan.short:
            subjects[home].append(plan.short)
        if articles > 1 and rng.random() < 0.2:
            subjects[rng.randrange(articles)].append(plan.short or plan.name)
    for names in subjects:
        rng.shuffle(names)
    return subjects


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def gazetteer_rows() -> list[dict[str, str]]:
    """City centres, and neighbourhoods as "Dorćol, Belgrade" (the ladder's query text)."""
    rows = []
    for number, city in enumerate(CITIES):
        slug = city.name.replace(" ", "_")
        rows.append({"name": city.name, "country": COUNTRY, "lat": f"{city.lat}", "lon": f"{city.lon}",
                     "source": f"https://en.wikipedia.org/wiki/{slug}"})
        for step, hood in enumerate(city.neighbourhoods, start=1):
            offset = 0.004 * step * (-1 if number % 2 else 1)
            rows.append({"name": f"{hood}, {city.name}", "country": COUNTRY,
                         "lat": f"{city.lat + offset:.5f}", "lon": f"{city.lon - offset:.5f}",
                         "source": f"https://example.org/gazetteer/{slug}/{hood.replace(' ', '_')}"})
    return rows


def generate(root: Path, places: int, articles: int, seed: int = 1) -> Corpus:
    """Write seeds/ and data/ under `root` (which must not hold a corpus already)."""
    if places < len(KINDS) or not 1 <= articles <= places:
        raise ValueError(f"need at least {len(KINDS)} places and 1..places articles")
    rng = random.Random(seed)
    names = Names(rng)
    plans = [plan_place(index, rng, names) for index in range(places)]
    corpus = Corpus(root, places, articles)
    corpus.seeds_dir.mkdir(parents=True)
    corpus.data_dir.mkdir(parents=True)
    for number, subjects in enumerate(mentions_by_article(plans, articles, rng)):
        stem = f"article-{number:05d}"
        (corpus.seeds_dir / f"{stem}.txt").write_text(article_text(rng, subjects), encoding="utf-8")
        (corpus.seeds_dir / f"{stem}.toml").write_text(
            f'title = "Synthetic article {number}"\npublisher = "Benchmark Press"\n'
            f'url = "https://example.org/articles/{stem}"\n', encoding="utf-8")
    write_csv(corpus.data_dir / "places.csv", PLACE_COLUMNS, [plan.row for plan in plans])
    write_csv(corpus.data_dir / "gazetteer.csv", ("name", "country", "lat", "lon", "source"),
              gazetteer_rows())
    write_csv(corpus.data_dir / "mention_overrides.csv", OVERRIDE_COLUMNS, [])
    return corpus
