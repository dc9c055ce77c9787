"""A hostile data set: markup and template-literal syntax in place names, notes, an article
and its title. Every piece must reach the reader as text, and none of it may run."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import ROOT, python_bin, streamlit_env

EVIL_NAME = 'Evil <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>'
EVIL_NOTE = 'Note <img src=x onerror="window.__xss=4">'
EVIL_EXCERPT = ('Regulars at Nekrasova Bar chalked <img src=x onerror="window.__xss=3"> and '
                '<script>window.__xss=5</script> on the wall.')
EVIL_TITLE = 'Evil <img src=x onerror="window.__xss=6">'
# folium pastes tooltips and popups into JavaScript template literals, where "${...}" is code.
TEMPLATE_NAME = "Template ${window.__tpl=1} Cafe"
TEMPLATE_EXCERPT = "Guests at Tpl Cafe wrote ${window.__tpl=2} on the menu."
EVIL_ARTICLE = f"A hostile article\n\n{EVIL_EXCERPT}\n\n{TEMPLATE_EXCERPT}\n"
EVIL_TOML = (f"title = {json.dumps(EVIL_TITLE)}\npublisher = \"Test <b>press</b>\"\n"
             "url = \"https://example.org/evil\"\n")

# An article of markdown and HTML tricks, each after a blank line of every kind of line ending,
# inside the sentence that names a place (so the side panel shows them too). Any request to
# IMAGE_HOST, or any element made from it, means the text was read as markdown or HTML.
IMAGE_HOST = "img.test"
TRICKS_NAME = "a-tricks"  # first in the Review page's list of articles
ENDINGS = {"CR": "\r", "CRLF": "\r\n", "LF": "\n", "LS": "\u2028", "PS": "\u2029", "NEL": "\x85"}


def _tricks(label: str) -> list[str]:
    return [f"![pixel](http://{IMAGE_HOST}/{label}-md.png)", f"[a link](http://{IMAGE_HOST}/{label}-link)",
            f'<img src="http://{IMAGE_HOST}/{label}-raw.png" onerror="window.__xss=7">',
            "<script>window.__xss=8</script>", f"<iframe src=\"http://{IMAGE_HOST}/{label}-frame\"></iframe>",
            f"![ref][{label}]", f"[{label}]: http://{IMAGE_HOST}/{label}-ref.png"]


TRICKS_ARTICLE = "Markdown tricks\n\n" + "\n\n".join(
    f"At Tricks Bar{' in Zemun' if label == 'CR' else ''} ({label}) "  # Zemun: a candidate
    + (ending * 2).join(_tricks(label)) + " closed."
    for label, ending in ENDINGS.items()) + "\n"
TRICKS_TOML = ('title = "Markdown tricks"\npublisher = "Test press"\ndate = "2024-05-01"\n'
               'url = "https://example.org/tricks"\n')


@dataclass(frozen=True)
class EvilData:
    data_dir: Path
    seeds_dir: Path
    evil_id: str = "evil-bar"
    template_id: str = "template-cafe"
    tricks_id: str = "tricks-bar"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment that points the app (and `python -m geo`) at this data set."""
        return streamlit_env(GEO_DATA_DIR=str(self.data_dir), GEO_SEEDS_DIR=str(self.seeds_dir),
                             **extra)


def _row(header: list[str], **values: str) -> dict[str, str]:
    """A valid city-level Belgrade bar (located offline by the gazetteer), with `values`."""
    row = dict.fromkeys(header, "")
    row.update(category="bar", tags="test", locality="Belgrade", country="RS", precision="city",
               confidence="low", public="yes")
    row.update(values)
    return row


def build_evil_data(root: Path) -> EvilData:
    """seeds/ (the real article plus a hostile one) and data/ under `root`, built offline."""
    data = EvilData(root / "data", root / "seeds")
    data.seeds_dir.mkdir(parents=True)
    data.data_dir.mkdir(parents=True)
    for path in (ROOT / "seeds").glob("moscow-in-the-balkans.*"):
        shutil.copy(path, data.seeds_dir / path.name)
    (data.seeds_dir / "evil.txt").write_text(EVIL_ARTICLE, encoding="utf-8")
    (data.seeds_dir / "evil.toml").write_text(EVIL_TOML, encoding="utf-8")
    (data.seeds_dir / f"{TRICKS_NAME}.txt").write_bytes(TRICKS_ARTICLE.encode("utf-8"))
    (data.seeds_dir / f"{TRICKS_NAME}.toml").write_text(TRICKS_TOML, encoding="utf-8")
    shutil.copy(ROOT / "data" / "gazetteer.csv", data.data_dir / "gazetteer.csv")
    with (ROOT / "data" / "places.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with (data.data_dir / "places.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerow(_row(header, id=data.evil_id, name=EVIL_NAME, aliases="Nekrasova Bar",
                             note=EVIL_NOTE))
        writer.writerow(_row(header, id=data.template_id, name=TEMPLATE_NAME, aliases="Tpl Cafe"))
        writer.writerow(_row(header, id=data.tricks_id, name="Tricks Bar", aliases="Tricks Bar"))
    built = subprocess.run([str(python_bin()), "-m", "geo", "build"], cwd=ROOT, env=data.env(),
                           capture_output=True, text=True, timeout=120, check=False)
    if built.returncode != 0:
        raise RuntimeError(f"python -m geo build failed on the hostile data set:\n"
                           f"{built.stdout}\n{built.stderr}")
    return data
