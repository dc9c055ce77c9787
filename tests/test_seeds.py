from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import geo.seeds
from geo.config import ROOT
from geo.errors import SeedError
from geo.models import Block, BlockKind
from geo.seeds import classify_block, load_seed, load_seeds, read_seeds, split_blocks

SHARED = ROOT.parent / "shared" / "seeds"


def test_the_seed_is_a_byte_for_byte_copy_of_the_shared_article() -> None:
    shared = sorted(SHARED.glob("*.txt"))
    if not shared:
        pytest.skip("../shared/seeds is not beside this checkout")
    ours = (ROOT / "seeds" / "moscow-in-the-balkans.txt").read_bytes()
    assert any(path.read_bytes() == ours for path in shared)


def test_metadata_names_the_article() -> None:
    seed = load_seed(ROOT / "seeds" / "moscow-in-the-balkans.txt")
    assert seed.title == "Moscow in the Balkans"
    assert seed.publisher == "Institute of Current World Affairs"
    assert seed.url == "https://icwa.org/moscow-in-the-balkans"


@pytest.mark.parametrize(("text", "kind"), [
    ("The Yandexoids", BlockKind.HEADING),
    ("Trouble for activists", BlockKind.HEADING),
    ("LGBTQ+ exiles in Belgrade", BlockKind.HEADING),
    ("Russians outside Process, a wine bar opened by exiles", BlockKind.CAPTION),
    ("Artemy Temirov, owner of Cooperative Cerniy Coffee Roasters", BlockKind.CAPTION),
    ("Nationalistic graffiti in central Belgrade reads “The only genocide in the Balkans, "
     "was against the Serbs\"", BlockKind.CAPTION),
    ("Top photo: The LGBTQ+-friendly Neraskova Bar in Belgrade, opened by Russian exiles as an "
     "homage to St. Petersburg", BlockKind.CAPTION),
    ("“Oh, how Bogamolov dragged you guys through the dirt!” Kazaryan recalled his mother as "
     "gloating.", BlockKind.PARAGRAPH),
    ("“The government leans on pro-Russian, anti-Western propaganda as a populist tool to gain "
     "popular support,” Nikitin said.", BlockKind.PARAGRAPH),
])
def test_blocks_are_classified_by_shape(text: str, kind: BlockKind) -> None:
    assert classify_block(text) is kind


def test_the_article_has_its_five_headings_and_eight_captions() -> None:
    seed = load_seed(ROOT / "seeds" / "moscow-in-the-balkans.txt")
    headings = [seed.text[b.start:b.end] for b in seed.blocks if b.kind is BlockKind.HEADING]
    captions = [b for b in seed.blocks if b.kind is BlockKind.CAPTION]
    assert headings == ["Trouble for activists", "The Yandexoids", "A descendant of White emigres",
                        "Rock-n-roll and black coffee", "LGBTQ+ exiles in Belgrade"]
    assert len(captions) == 8
    for block in seed.blocks:
        assert seed.text[block.start:block.end] == seed.text[block.start:block.end].strip()


def test_seeds_are_read_in_name_order_and_several_are_fine(tmp_path: Path) -> None:
    for name in ("b", "a"):
        (tmp_path / f"{name}.txt").write_text(f"Article {name}.\n", encoding="utf-8")
        (tmp_path / f"{name}.toml").write_text(
            f'title = "{name}"\npublisher = "P"\nurl = "https://example.org/{name}"\n')
    assert [seed.name for seed in load_seeds(tmp_path)] == ["a.txt", "b.txt"]


@pytest.mark.parametrize(("content", "field"), [(b"", "text"), (b"  \n\n ", "text"),
                                                 (b"caf\xe9 in Latin-1", "encoding")])
def test_unusable_seeds_are_refused_with_the_file_and_field(tmp_path: Path, content: bytes,
                                                             field: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (tmp_path / "bad.toml").write_text('title = "t"\npublisher = "p"\nurl = "https://x.org"\n')
    with pytest.raises(SeedError) as caught:
        load_seed(path)
    assert caught.value.file == str(path)
    assert caught.value.field == field


def test_missing_metadata_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "a.toml").write_text('title = "t"\npublisher = ""\n')
    with pytest.raises(SeedError, match="publisher"):
        load_seed(tmp_path / "a.txt")


def test_windows_line_endings_keep_the_structure(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"First paragraph.\r\n\r\nThe Yandexoids\r\n\r\nMore text.\r\n")
    (tmp_path / "a.toml").write_text('title = "t"\npublisher = "p"\nurl = "https://x.org"\n')
    seed = load_seed(tmp_path / "a.txt")
    assert [b.kind for b in seed.blocks] == [BlockKind.PARAGRAPH, BlockKind.HEADING,
                                             BlockKind.PARAGRAPH]
    assert seed.text[seed.blocks[1].start:seed.blocks[1].end] == "The Yandexoids"


def test_an_article_url_must_be_http(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "a.toml").write_text('title = "t"\npublisher = "p"\nurl = "javascript:alert(1)"\n')
    with pytest.raises(SeedError, match="http"):
        load_seed(tmp_path / "a.txt")


def test_an_oversized_seed_is_refused_by_size_before_it_is_decoded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geo.seeds, "MAX_SEED_BYTES", 16)
    path = tmp_path / "huge.txt"
    path.write_bytes(b"\xff" * 17)  # not UTF-8 either: the size must be what is reported
    (tmp_path / "huge.toml").write_text('title = "t"\npublisher = "p"\nurl = "https://x.org"\n')
    with pytest.raises(SeedError, match="17 bytes is more than a seed may have") as caught:
        load_seed(path)
    assert caught.value.file == str(path)
    assert caught.value.field == "size"
    path.write_bytes(b"Sixteen bytes ok")
    assert load_seed(path).text == "Sixteen bytes ok"


def test_the_size_limit_admits_a_book_length_article() -> None:
    assert geo.seeds.MAX_SEED_BYTES >= 50_000_000


def old_split_blocks(text: str) -> tuple[Block, ...]:
    """split_blocks as it was, searching for each piece again: the reference for the new one."""
    blocks: list[Block] = []
    position = 0
    for piece in re.split(r"\r?\n[ \t\u00a0]*\r?\n", text):
        start = text.index(piece, position)
        position = start + len(piece)
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        if body:
            blocks.append(Block(len(blocks), classify_block(body), start + lead,
                                start + lead + len(body)))
    return tuple(blocks)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Word", "word.", " ", "\n", "\r\n", "\n\n", "\n \u00a0\n", "\t",
                                 "Top photo: x", "“Quoted.”", "\u2003", "\r", "\r\n\r\n"]),
                max_size=30))
@example(["a.", "\r\n\r\n", "b"])
@example(["a", "\n", "\r", " ", "\n", "b"])
@example(["a", "\r", "\r\n", "\n", "b"])
@example(["a", "\n", "\r\n\r\n", "b", "\r"])
def test_blocks_are_split_as_before(parts: list[str]) -> None:
    text = "".join(parts)
    assert split_blocks(text) == old_split_blocks(text)


META = 'title = "T"\npublisher = "P"\nurl = "https://example.org"\n'


@pytest.mark.parametrize(("extra", "date", "language"), [
    ("", "", ""),
    ('date = "2024-11-02"\nlanguage = "sr-Latn"\n', "2024-11-02", "sr-Latn"),
    ("date = 2024-11-02\n", "2024-11-02", ""),
    ("date = 2024-11-02T08:30:00Z\n", "2024-11-02T08:30:00+00:00", ""),
    ('date = "  November 2024 "\n', "November 2024", ""),
])
def test_date_and_language_are_read_when_given(tmp_path: Path, extra: str, date: str,
                                               language: str) -> None:
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text(META + extra, encoding="utf-8")
    seed = load_seed(tmp_path / "a.txt")
    assert (seed.date, seed.language) == (date, language)


@pytest.mark.parametrize("extra", ["date = 2024\n", "language = [\"en\"]\n", "date = {y = 1}\n"])
def test_a_date_or_language_that_is_not_text_is_refused(tmp_path: Path, extra: str) -> None:
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text(META + extra, encoding="utf-8")
    with pytest.raises(SeedError, match=r"a\.toml, field '(date|language)': must be a string"):
        load_seed(tmp_path / "a.txt")


def write_articles(folder: Path, *names: str) -> None:
    for name in names:
        (folder / f"{name}.txt").write_text(f"Article {name}.\n\nThe Heading\n", encoding="utf-8")
        (folder / f"{name}.toml").write_text(
            f'title = "{name}"\npublisher = "P"\nurl = "https://example.org/{name}"\n')


def test_read_seeds_splits_an_article_into_blocks_only_when_it_is_looked_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_articles(tmp_path, "b", "a")
    split: list[str] = []

    def counted(text: str) -> tuple[Block, ...]:
        split.append(text)
        return split_blocks(text)

    monkeypatch.setattr(geo.seeds, "split_blocks", counted)
    folder = read_seeds(tmp_path)
    assert list(folder) == ["a.txt", "b.txt"]
    assert len(folder) == 2
    assert "b.txt" in folder
    assert "c.txt" not in folder
    assert folder.get("c.txt") is None
    assert folder.texts == {"a.txt": "Article a.\n\nThe Heading\n",
                            "b.txt": "Article b.\n\nThe Heading\n"}
    assert split == []
    seed = folder["b.txt"]
    assert folder["b.txt"] is seed
    assert split == ["Article b.\n\nThe Heading\n"]  # once, and only that article
    assert seed == load_seed(tmp_path / "b.txt")
    assert [block.kind for block in seed.blocks] == [BlockKind.PARAGRAPH, BlockKind.HEADING]
    assert load_seeds(tmp_path) == tuple(load_seed(tmp_path / f"{n}.txt") for n in ("a", "b"))


def test_read_seeds_refuses_a_bad_article_before_anything_is_looked_up(tmp_path: Path) -> None:
    write_articles(tmp_path, "a", "b")
    (tmp_path / "b.toml").write_text('title = "b"\npublisher = "P"\nurl = "ftp://x.org"\n')
    with pytest.raises(SeedError, match="http") as caught:
        read_seeds(tmp_path)
    assert caught.value.file == str(tmp_path / "b.toml")
    (tmp_path / "a.txt").write_bytes(b"caf\xe9")  # the first bad file, in name order, is named
    with pytest.raises(SeedError) as caught:
        read_seeds(tmp_path)
    assert (caught.value.file, caught.value.field) == (str(tmp_path / "a.txt"), "encoding")
