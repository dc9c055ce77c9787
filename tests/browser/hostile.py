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


@dataclass(frozen=True)
class EvilData:
    data_dir: Path
    seeds_dir: Path
    evil_id: str = "evil-bar"
    template_id: str = "template-cafe"

    def env(self) -> dict[str, str]:
        """The environment that points the app (and `python -m geo`) at this data set."""
        return streamlit_env(GEO_DATA_DIR=str(self.data_dir), GEO_SEEDS_DIR=str(self.seeds_dir))


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
    shutil.copy(ROOT / "data" / "gazetteer.csv", data.data_dir / "gazetteer.csv")
    with (ROOT / "data" / "places.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with (data.data_dir / "places.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerow(_row(header, id=data.evil_id, name=EVIL_NAME, aliases="Nekrasova Bar",
                             note=EVIL_NOTE))
        writer.writerow(_row(header, id=data.template_id, name=TEMPLATE_NAME, aliases="Tpl Cafe"))
    built = subprocess.run([str(python_bin()), "-m", "geo", "build"], cwd=ROOT, env=data.env(),
                           capture_output=True, text=True, timeout=120, check=False)
    if built.returncode != 0:
        raise RuntimeError(f"python -m geo build failed on the hostile data set:\n"
                           f"{built.stdout}\n{built.stderr}")
    return data
