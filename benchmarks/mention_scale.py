"""How long does the build take on a book-length article naming a thousand places? Prints figures.

In a temporary directory with its own seeds/ and data/, writes:

  seeds/scale.txt      about --mb megabytes of paragraphs of varied sentences, with headings
                       and captions, where about every second sentence names a place: as
                       written, or as articles vary it (capitals, "St" for "St.", curly or
                       straight apostrophes, hyphens for spaces)
  data/places.csv      --places public places at city precision without coordinates, each
                       with one to three aliases (multi-word, one-word proper nouns, "St.",
                       apostrophes, hyphens, Cyrillic), every alias occurring in the article
  data/gazetteer.csv   the cities they are in

then runs the real build end to end (`python -m geo build --out ...` in a subprocess, with
GEO_SEEDS_DIR and GEO_DATA_DIR pointing there) and prints its wall time and peak memory
(ru_maxrss of the child), then times link_mentions alone in this process: as
geo.dataset.assemble calls it, and with one MentionFinder shared by the alias check and the search.

    .venv/bin/python benchmarks/mention_scale.py [--mb 50] [--places 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.dataset.assemble import link_mentions
from geo.dataset.mentions import MentionFinder, alias_pattern, check_aliases, check_every_alias_used
from geo.dataset.places import COLUMN_NAMES, load_places
from geo.models import Mention, Place, Seed
from geo.seeds import load_seeds

ROOT = Path(__file__).resolve().parent.parent
CITIES = [("Belgrade", 44.817, 20.467), ("Novi Sad", 45.254, 19.842), ("Niš", 43.321, 21.896),
          ("Kragujevac", 44.012, 20.911), ("Subotica", 46.100, 19.667)]
SYLLABLES = ["bel", "gra", "mo", "ska", "nov", "ra", "zor", "vi", "da", "lin", "ko", "sta", "mir",
             "dra", "ve", "sna", "pe", "tro", "ka", "le", "šu", "ća", "ni", "bor", "ju"]
CYRILLIC = ["ка", "фа", "на", "дво", "ру", "ми", "ле", "бо", "жа", "ри", "це", "ву"]
KINDS = ["Bar", "Café", "Park", "Street", "Bridge", "Market", "Theatre", "Gallery", "Club", "Square",
         "Bookshop", "Hostel", "Roasters", "Cinema"]
WORDS = ["the", "a", "of", "and", "to", "in", "that", "was", "for", "on", "with", "as", "at", "by",
         "from", "his", "her", "their", "it", "this", "an", "evening", "winter", "exiles", "wine",
         "coffee", "owner", "bartender", "young", "old", "tall", "city", "river", "street",
         "friends", "talked", "recalled", "said", "opened", "closed", "moved", "lived", "worked",
         "visited", "remembered", "quietly", "late", "early", "often", "never", "always", "again",
         "before", "after", "during", "because", "while", "Russian", "Serbian", "émigrés",
         "“quoted”", "café-owner", "well-known", "twenty-somethings"]
STARTS = ["Later", "Back then", "In March", "Every evening", "Mr. Petrov said", "By 2023",
          "Most nights", "Andrei recalled that", "“Of course,” she said,", "For years",
          "On weekends", "Dr. Ilić noted that", "Before the war", "Nobody knew why"]


@dataclass(frozen=True)
class Workspace:
    """A generated article and place list, and where the build should write."""

    seeds_dir: Path
    data_dir: Path
    out: Path
    article_bytes: int
    places: int
    aliases: int


def place_names(rng: random.Random, count: int) -> list[tuple[str, list[str]]]:
    """(name, aliases) for `count` places: unique stems, aliases in the shapes articles use."""
    names: list[tuple[str, list[str]]] = []
    taken: set[str] = set()  # stems and aliases, casefolded: an alias belongs to one place
    while len(names) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        kind = rng.choice(KINDS)
        shape = len(names) % 6
        aliases = [f"{stem} {kind}"]
        if shape == 1:
            aliases.append(stem)  # a one-word proper noun, as "Nekrasov" is for the bar
        elif shape == 2:
            aliases.append(f"St. {stem}'s {kind}")
        elif shape == 3:
            aliases.append(f"{stem}-{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)} {kind}")
        elif shape == 4:
            cyrillic = "".join(rng.choice(CYRILLIC) for _ in range(3)).capitalize()
            aliases.append(f"Кафана {cyrillic}")
        keys = {stem.casefold(), *(alias.casefold() for alias in aliases)}
        if keys & taken:
            continue
        taken |= keys
        names.append((f"{stem} {kind}", aliases))
    return names


def spelled(rng: random.Random, alias: str) -> str:
    """The alias as an article might print it; every variant still matches the alias."""
    roll = rng.random()
    words = alias.split()
    if len(words) == 1 and roll < 0.1:
        return alias.upper()
    if len(words) > 1 and roll < 0.1:
        return alias.lower()
    if roll < 0.2:
        return alias.replace("St. ", "St ").replace("'", "’")
    if len(words) > 1 and roll < 0.3:
        return "-".join(words)
    return alias


def sentence(rng: random.Random, mention: str | None) -> str:
    """A sentence of 8 to 24 words, with the mention somewhere inside when given."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    if mention is not None:
        words.insert(rng.randint(1, len(words)), mention)
    return f"{rng.choice(STARTS)} {' '.join(words)}{rng.choice(['.', '.', '.', '?', '!', '.”'])}"


def article(rng: random.Random, aliases: list[str], chars: int) -> str:
    """Paragraphs, headings and captions up to `chars`; every alias occurs at least once."""
    blocks: list[str] = []
    size = 0
    first = list(aliases)  # the opening paragraphs name every place once
    while size < chars or first:
        if len(blocks) % 25 == 24:
            block = f"The {rng.choice(aliases).split()[0]} years" if rng.random() < 0.5 else \
                f"Top photo: {spelled(rng, rng.choice(aliases))} at night, opened by exiles"
        else:
            sentences = []
            for _ in range(rng.randint(3, 7)):
                if first:
                    mention: str | None = first.pop()
                elif rng.random() < 0.5:
                    mention = spelled(rng, rng.choice(aliases))
                else:
                    mention = None
                sentences.append(sentence(rng, mention))
            block = " ".join(sentences)
        blocks.append(block)
        size += len(block) + 2
    return "\n\n".join(blocks) + "\n"


def make_workspace(root: Path, mb: float, places: int, seed: int = 0) -> Workspace:
    """Write seeds/ and data/ under `root` for an article of about `mb` megabytes."""
    rng = random.Random(seed)
    seeds_dir, data_dir = root / "seeds", root / "data"
    seeds_dir.mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    named = place_names(rng, places)
    all_aliases = [alias for _, aliases in named for alias in aliases]
    text = article(rng, all_aliases, int(mb * 1_000_000))
    (seeds_dir / "scale.txt").write_text(text, encoding="utf-8")
    (seeds_dir / "scale.toml").write_text('title = "Scale"\npublisher = "Benchmark"\n'
                                          'url = "https://example.org/scale"\n', encoding="utf-8")
    with (data_dir / "gazetteer.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "country", "lat", "lon", "source"])
        for city, lat, lon in CITIES:
            writer.writerow([city, "RS", lat, lon, f"https://example.org/{city}"])
    with (data_dir / "places.csv").open("w", encoding="utf-8", newline="") as handle:
        rows = csv.DictWriter(handle, fieldnames=COLUMN_NAMES, lineterminator="\n")
        rows.writeheader()
        for number, (name, aliases) in enumerate(named):
            row = dict.fromkeys(COLUMN_NAMES, "")
            row.update(id=f"place-{number}", name=name, aliases=" | ".join(aliases),
                       category="bar", locality=CITIES[number % len(CITIES)][0], country="RS",
                       precision="city", confidence="low", public="yes")
            if number % 10 == 0:  # the sentence naming it as written: exercises primary_mention
                row["key_passage"] = aliases[-1]
            rows.writerow(row)
    return Workspace(seeds_dir, data_dir, root / "places.geojson",
                     (seeds_dir / "scale.txt").stat().st_size, places, len(all_aliases))


def run_build(workspace: Workspace) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak megabytes of `python -m geo build` on the workspace."""
    env = dict(os.environ, GEO_SEEDS_DIR=str(workspace.seeds_dir),
               GEO_DATA_DIR=str(workspace.data_dir))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "geo", "build", "--out", str(workspace.out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"the build failed ({done.returncode}): {done.stderr.strip()}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # this script starts no other child
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def link_with_one_finder(places: tuple[Place, ...], seeds: tuple[Seed, ...], file: str
                         ) -> list[Mention]:
    """link_mentions' search with one finder for the alias check and the mentions."""
    check_aliases(places, file)
    finder = MentionFinder(places)
    check_every_alias_used(places, seeds, file, finder)
    return [mention for seed in seeds for mention in finder.find(seed)]


def time_linking(workspace: Workspace) -> dict[str, float]:
    """Seconds to load the inputs, and to link mentions both ways, in this process."""
    started = time.perf_counter()
    seeds = load_seeds(workspace.seeds_dir)
    places = load_places(workspace.data_dir / "places.csv")
    loaded = time.perf_counter()
    file = str(workspace.data_dir / "places.csv")
    alias_pattern.cache_clear()  # each way pays for compiling the aliases' regexes
    link_mentions(places, seeds, file)
    linked = time.perf_counter()
    alias_pattern.cache_clear()
    mentions = link_with_one_finder(places, seeds, file)
    shared = time.perf_counter()
    return {"load seeds and places": loaded - started, "link_mentions (as called today)":
            linked - loaded, "link with one shared finder": shared - linked,
            "mentions": float(len(mentions))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mb", type=float, default=50.0, help="article size in megabytes")
    parser.add_argument("--places", type=int, default=1000, help="how many places")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the generator")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mention-scale-") as tmp:
        started = time.perf_counter()
        workspace = make_workspace(Path(tmp), args.mb, args.places, args.seed)
        print(f"generated {workspace.article_bytes / 1e6:.1f} MB, {workspace.places} places, "
              f"{workspace.aliases} aliases in {time.perf_counter() - started:.1f} s")
        seconds, cpu, peak_mb = run_build(workspace)
        print(f"build (python -m geo build): {seconds:.1f} s wall, {cpu:.1f} s CPU, peak "
              f"{peak_mb:.0f} MB RSS, output {workspace.out.stat().st_size / 1e6:.1f} MB")
        for name, value in time_linking(workspace).items():
            print(f"{name}: {value:.0f}" if name == "mentions" else f"{name}: {value:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
