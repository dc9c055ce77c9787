"""Archive throughput: serial, LocalCluster with 1 and 2 workers, and a separate scheduler.

    .venv/bin/python -m benchmarks.archive --articles 2000 [--modes serial,local1,local2,cluster]
                                           [--ner on|off]

A synthetic archive (JSON Lines) of articles of 300-3,000 words names places of the
synthetic place list of benchmarks/corpus.py and new venue names repeated across articles.
Prints seconds, articles per second, peak memory per worker, the speed-up from 1 to 2
workers, Dask's overhead at 1 worker against the serial path, whether every mode gave the
same rows (after sorting), and how many by-name decisions the archive needs against the
per-article candidate groups.

NER (spaCy for English) is most of the per-article work: about 0.2 s for a 1,700-word
article against a few milliseconds for everything else. `--ner off` sets GEO_NER=off
(inherited by the LocalCluster's and the separate workers' processes) to measure the rest
of the path, and Dask's own cost, at 20,000 articles in minutes rather than hours.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.corpus import FILLER, Names, filler_sentence, generate, sentence
from geo.archive import store
from geo.cli.archive import dask_client
from geo.config import Settings
from geo.ingest.bulk.run import ingest, peak_memory
from geo.review import byname

PLACES = 500
NEW_NAMES_PER_1000 = 60  # distinct new venue names per thousand articles


def write_archive(path: Path, articles: int, known: list[str], seed: int = 7) -> None:
    """JSON Lines: each article names known places and some of the recurring new names."""
    rng = random.Random(seed)
    names = Names(rng)
    new = [f"Kafana {names.word()}" for _ in range(max(5, articles * NEW_NAMES_PER_1000 // 1000))]
    weights = [1 / (rank + 1) for rank in range(len(new))]  # a few names recur in many articles
    with path.open("w", encoding="utf-8") as handle:
        for number in range(articles):
            words = rng.randint(300, 3000)
            sentences: list[str] = []
            while sum(len(s.split()) for s in sentences) < words:
                roll = rng.random()
                if roll < 0.15:
                    sentences.append(sentence(rng, rng.choice(known)))
                elif roll < 0.2:
                    sentences.append(sentence(rng, rng.choices(new, weights)[0]))
                else:
                    sentences.append(filler_sentence(rng))
            paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
            text = f"Dispatch {number}\n\n" + "\n\n".join(paragraphs) + "\n"
            handle.write(json.dumps({"text": text, "url": f"https://example.org/archive/{number}",
                                     "title": f"Dispatch {number}", "publisher": "Benchmark Press",
                                     "language": "en", "date": "2026-01-01"}) + "\n")


@contextmanager
def separate_cluster(workers: int) -> Iterator[str]:
    """`dask scheduler` and `dask worker` processes on 127.0.0.1."""
    dask = str(Path(sys.executable).with_name("dask"))
    with tempfile.TemporaryDirectory() as temp:
        info = Path(temp) / "scheduler.json"
        started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                     "--scheduler-file", str(info), "--dashboard-address", ":0"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        try:
            while not info.exists():
                time.sleep(0.2)
            address = json.loads(info.read_text())["address"]
            started.append(subprocess.Popen([dask, "worker", address, "--nworkers", str(workers),
                                             "--nthreads", "1", "--no-dashboard"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            yield address
        finally:
            for process in reversed(started):
                process.terminate()
                process.wait(timeout=30)


def run_mode(mode: str, settings: Settings, source: Path) -> dict[str, Any]:
    from distributed import Client

    if mode == "serial":
        report = ingest(settings, [str(source)], mode)
        return {"seconds": report.seconds, "report": report, "memory": {}}
    if mode == "cluster":
        with separate_cluster(2) as address, Client(address) as client:
            client.wait_for_workers(2, timeout=120)
            report = ingest(settings, [str(source)], mode, client=client)
            return {"seconds": report.seconds, "report": report, "memory": peak_memory(client)}
    with dask_client(int(mode.removeprefix("local")), None) as client:  # what `geo ingest` makes
        report = ingest(settings, [str(source)], mode, client=client)
        return {"seconds": report.seconds, "report": report, "memory": peak_memory(client)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--modes", default="serial,local1,local2,cluster")
    parser.add_argument("--ner", choices=("on", "off"), default="on",
                        help="statistical NER in the candidate step (off: the rules alone)")
    args = parser.parse_args()
    os.environ["GEO_NER"] = args.ner  # before any worker starts: they inherit it
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as temp:
        root = Path(temp)
        corpus = generate(root / "corpus", PLACES, 10)
        for path in corpus.seeds_dir.iterdir():
            path.unlink()  # the archive is the only input
        settings = Settings(seeds_dir=corpus.seeds_dir, data_dir=corpus.data_dir)
        known = [line.split(",")[1] for line in
                 (corpus.data_dir / "places.csv").read_text(encoding="utf-8").splitlines()[1:]]
        source = root / "archive.jsonl"
        write_archive(source, args.articles, known)
        words = sum(len(json.loads(line)["text"].split()) for line in source.open(encoding="utf-8"))
        print(f"{args.articles} articles, {words / args.articles:.0f} words on average, "
              f"{source.stat().st_size / 1e6:.0f} MB; {len(FILLER)} filler words; NER {args.ner}; "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
        results = {}
        for mode in args.modes.split(","):
            results[mode] = run_mode(mode, settings, source)
            memory = ", ".join(f"{b / 2**20:.0f} MiB" for b in results[mode]["memory"].values())
            report = results[mode]["report"]
            print(f"{mode:<8} {results[mode]['seconds']:7.1f} s  "
                  f"{args.articles / results[mode]['seconds']:6.1f} articles/s  "
                  f"peak memory per worker: {memory or 'n/a (this process)'}  "
                  f"({report.mentions} mentions, {report.candidates} candidates; "
                  f"load average {os.getloadavg()[0]:.1f})", flush=True)
        if "local1" in results and "local2" in results:
            speed_up = results["local1"]["seconds"] / results["local2"]["seconds"]
            print(f"speed-up 1 -> 2 workers: {speed_up:.2f}x")
        if "serial" in results and "local1" in results:
            overhead = results["local1"]["seconds"] / results["serial"]["seconds"] - 1
            print(f"Dask overhead at 1 worker: {overhead * 100:+.1f} %")
        first = next(iter(results))
        tables = {mode: {t: store.rows_sorted(store.read_table(r["report"].archive_dir, t))
                         for t in store.TABLES} for mode, r in results.items()}
        same = all(tables[mode] == tables[first] for mode in tables)
        print(f"identical rows (sorted) across {', '.join(results)}: {same}")
        candidates = store.read_table(results[first]["report"].archive_dir, "candidates",
                                      ["article", "name"])
        per_article = len({(row["article"], row["name"].casefold()) for row in candidates})
        print(f"review: {len(byname.by_name(settings, first))} decisions by name, against "
              f"{per_article} per-article candidate groups")


if __name__ == "__main__":
    main()
