"""The map page's controls are links and one GET form (geo/web/mapcontrols.py) over a view held in
the URL (geo/web/mapquery.py): a view must survive the trip through its own link, every control
must lead to the view it names, and every text from the data must reach the page escaped."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode

import pytest

from geo.web.mapcontrols import (
    downloads_switch,
    extent_links,
    filter_form,
    grouping_links,
    list_switch,
    table_switch,
    tour,
)
from geo.web.mapquery import MapQuery
from geo.web.selection import Filters, step

VOID = {"input", "br", "img", "hr", "meta", "link"}
EVIL = "<script>x</script>"
TITLE = 'The "Moscow" <in> Belgrade & more'


@dataclass
class Node:
    """An element of a parsed fragment: its tag, attributes, children and text."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    parts: list[str | Node] = field(default_factory=list)  # text and elements, in order

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [node for node in self.walk()
                if node.tag == tag and all(node.attrs.get(k) == v for k, v in attrs.items())]

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    @property
    def text(self) -> str:
        return "".join(part if isinstance(part, str) else part.text for part in self.parts)

    def attr(self, name: str) -> str:
        value = self.attrs.get(name)
        assert value is not None, f"<{self.tag}> has no {name}"
        return value


class Tree(HTMLParser):
    """Builds a Node tree, checking that every element is closed where it was opened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].parts.append(data)


def parse_html(fragment: str) -> Node:
    tree = Tree()
    tree.feed(fragment)
    tree.close()
    assert tree.stack == [tree.root], "unclosed elements"
    return tree.root


def query_of(href: str) -> MapQuery:
    """The view a link of the map page leads to."""
    if href == "./":
        return MapQuery()
    assert href.startswith("./?"), href
    qs = parse_qs(href[len("./?"):], keep_blank_values=True)
    return MapQuery.parse(lambda n: qs.get(n, []))


def submitted(form: Node) -> MapQuery:
    """The view a browser asks for when the form is submitted as drawn (GET, to ./)."""
    assert form.attrs.get("method") == "get"
    assert form.attrs.get("action") == "./"
    pairs: list[tuple[str, str]] = []
    for node in form.find_all("input"):
        kind, name = node.attrs.get("type"), node.attrs.get("name")
        if name is None or (kind == "checkbox" and "checked" not in node.attrs):
            continue
        pairs.append((name, node.attrs.get("value") or ""))
    return query_of("./?" + urlencode(pairs))


FULL = MapQuery(
    Filters(categories=("bar", "cafe", "landmark"), tags=("food", "activism"),
            precisions=("city", "building"), search="Чёрный & <b>",
            articles=("moscow-in-the-balkans.txt", "second.txt")),
    place="cherniy", all_places=True, list_by="article", table=True, downloads=True)

CHOICES: dict[str, list[str]] = {"category": ["bar", "cafe", EVIL, "landmark"],
                                 "tags": ["activism", "food"],
                                 "precision": ["building", "city", "neighbourhood"]}
TITLES = {"moscow-in-the-balkans.txt": "Moscow in the Balkans", "second.txt": TITLE}


# The query ---------------------------------------------------------------------------------

def test_default_query_links_to_the_bare_page() -> None:
    assert MapQuery().href() == "./"
    assert MapQuery().pairs() == []
    assert query_of("./") == MapQuery()


def test_a_full_view_survives_its_own_link() -> None:
    href = FULL.href()
    assert href.startswith("./?")
    assert "<" not in href
    assert " " not in href
    assert "Ч" not in href
    assert query_of(href) == FULL


@pytest.mark.parametrize("query", [
    MapQuery(place="proces"),
    MapQuery(Filters(search="a+b=c&d?e#f%")),
    MapQuery(Filters(categories=("x y",)), list_by="category"),
    MapQuery(all_places=True, downloads=True),
    MapQuery(table=True),
])
def test_smaller_views_survive_their_links(query: MapQuery) -> None:
    assert query_of(query.href()) == query


def test_href_makes_changes_and_leaves_the_query_alone() -> None:
    moved = query_of(FULL.href(place="fortress", table=False))
    assert moved == replace(FULL, place="fortress", table=False)
    assert FULL.place == "cherniy"
    assert FULL.table


def test_pairs_order_and_as_params_group_repeated_names() -> None:
    assert [name for name, _ in FULL.pairs()] == [
        "place", "q", "category", "category", "category", "theme", "theme",
        "precision", "precision", "article", "article", "view", "list", "table", "downloads"]
    params = FULL.as_params()
    assert params["category"] == ["bar", "cafe", "landmark"]
    assert params["q"] == ["Чёрный & <b>"]
    assert params["view"] == ["all"]
    assert params["table"] == ["1"]
    assert params["downloads"] == ["1"]
    assert MapQuery.from_mapping(params) == FULL


def test_without_filters_keeps_the_rest_of_the_view() -> None:
    assert FULL.without_filters() == replace(FULL, filters=Filters())
    assert not FULL.without_filters().filters.active


def test_parse_drops_blank_values_and_repeats_and_trims_the_search() -> None:
    query = MapQuery.from_mapping({
        "category": ["", "bar", "  ", "bar", "cafe", "bar"],
        "theme": ["\t"], "precision": ["city", "city"], "article": ["", "a.txt"],
        "q": ["   ", "  Чёрный kafe \n", "second"], "place": ["", " ", "proces"]})
    assert query.filters == Filters(categories=("bar", "cafe"), tags=(), precisions=("city",),
                                    search="Чёрный kafe", articles=("a.txt",))
    assert query.place == "proces"


def test_parse_of_blank_values_is_the_default_view() -> None:
    blank = {name: ["", " "] for name in
             ("category", "theme", "precision", "article", "q", "place", "view", "list",
              "table", "downloads")}
    assert MapQuery.from_mapping(blank) == MapQuery()


@pytest.mark.parametrize(("value", "expected"), [
    ("article", "article"), ("category", "category"), ("bogus", "category"),
    ("ARTICLE", "category"), ("", None), ("  ", None)])
def test_parse_list_grouping_falls_back_on_category(value: str, expected: str | None) -> None:
    assert MapQuery.from_mapping({"list": value}).list_by == expected


@pytest.mark.parametrize(("view", "all_places"), [
    ("all", True), ("home", False), ("ALL", False), ("1", False), ("", False)])
def test_parse_view_other_than_all_is_home(view: str, all_places: bool) -> None:
    assert MapQuery.from_mapping({"view": view}).all_places is all_places


@pytest.mark.parametrize(("value", "on"), [
    ("1", True), ("true", False), ("yes", False), ("0", False), ("on", False), ("", False)])
def test_parse_switches_are_on_only_for_1(value: str, on: bool) -> None:
    query = MapQuery.from_mapping({"table": value, "downloads": value})
    assert query.table is on
    assert query.downloads is on


def test_from_mapping_takes_a_string_or_a_list() -> None:
    as_str = MapQuery.from_mapping({"category": "bar", "q": "fort", "view": "all", "table": "1"})
    as_list = MapQuery.from_mapping({"category": ["bar"], "q": ["fort"], "view": ["all"],
                                     "table": ["1"]})
    as_tuple = MapQuery.from_mapping({"category": ("bar",), "q": ("fort",), "view": ("all",),
                                      "table": ("1",)})
    expected = MapQuery(Filters(categories=("bar",), search="fort"), all_places=True, table=True)
    assert as_str == as_list == as_tuple == expected
    # a string is one value, not a sequence of characters
    assert MapQuery.from_mapping({"category": "cafe"}).filters.categories == ("cafe",)
    assert MapQuery.from_mapping({"category": ["bar", "cafe"]}).filters.categories == ("bar", "cafe")


# The filter form ---------------------------------------------------------------------------

def test_filter_form_escapes_every_text_from_the_data() -> None:
    titles = {**TITLES, 'x"<y>.txt': EVIL}
    query = MapQuery(Filters(categories=(EVIL,), search='"><script>s</script>',
                             articles=('x"<y>.txt',)), place='p"<q>')
    page = filter_form(query, CHOICES, titles)
    assert "<script>" not in page
    assert "<in>" not in page
    assert "<b>" not in page
    assert '"Moscow"' not in page
    assert 'x"<y>' not in page
    assert 'p"<q>' not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&quot;Moscow&quot; &lt;in&gt;" in page
    root = parse_html(page)
    assert not root.find_all("script")
    form = root.find("form")
    boxes = {node.attr("value"): node for node in form.find_all("input", type="checkbox")}
    assert EVIL in boxes
    assert "checked" in boxes[EVIL].attrs
    assert 'x"<y>.txt' in boxes
    assert "checked" in boxes['x"<y>.txt'].attrs
    labels = [label.text.strip() for label in form.find_all("label")]
    assert EVIL in labels
    assert TITLE in labels
    assert form.find("input", type="search").attr("value") == '"><script>s</script>'
    assert form.find("input", type="hidden", name="place").attr("value") == 'p"<q>'


def test_filter_form_checks_chosen_boxes_and_opens_their_group() -> None:
    query = MapQuery(Filters(categories=("bar", "landmark"), precisions=("city",)))
    form = parse_html(filter_form(query, CHOICES, TITLES)).find("form")
    checked = {(node.attr("name"), node.attr("value"))
               for node in form.find_all("input", type="checkbox") if "checked" in node.attrs}
    assert checked == {("category", "bar"), ("category", "landmark"), ("precision", "city")}
    groups = {details.find("summary").text.split(" (")[0]: details
              for details in form.find_all("details")}
    assert set(groups) == {"Category", "Theme", "Precision", "Article", "Years"}  # years: #26
    assert "open" in groups["Category"].attrs
    assert groups["Category"].find("summary").text == "Category (2 chosen)"
    assert "open" in groups["Precision"].attrs
    assert groups["Precision"].find("summary").text == "Precision (1 chosen)"
    for closed in ("Theme", "Article"):
        assert "open" not in groups[closed].attrs
        assert "chosen" not in groups[closed].find("summary").text
    # each group's boxes sit in its own fieldset, one box per value from the data
    category_boxes = groups["Category"].find("fieldset").find_all("input", type="checkbox")
    assert [node.attr("value") for node in category_boxes] == CHOICES["category"]
    assert {node.attr("name") for node in category_boxes} == {"category"}


def test_filter_form_hidden_inputs_keep_the_view_not_the_filters() -> None:
    form = parse_html(filter_form(FULL, CHOICES, TITLES)).find("form")
    hidden = [(node.attr("name"), node.attr("value"))
              for node in form.find_all("input", type="hidden")]
    assert hidden == [("place", "cherniy"), ("view", "all"), ("list", "article"),
                      ("table", "1"), ("downloads", "1")]
    bare = parse_html(filter_form(MapQuery(Filters(categories=("bar",))), CHOICES, TITLES))
    assert bare.find_all("input", type="hidden") == []


def in_order(filters: Filters) -> Filters:
    """The same choices, sorted: the form lists values in the data's order, not the query's."""
    return Filters(tuple(sorted(filters.categories)), tuple(sorted(filters.tags)),
                   tuple(sorted(filters.precisions)), filters.search, tuple(sorted(filters.articles)))


def test_submitting_the_form_as_drawn_gives_the_same_view() -> None:
    form = parse_html(filter_form(FULL, CHOICES, TITLES)).find("form")
    sent = submitted(form)
    assert replace(sent, filters=in_order(sent.filters)) == replace(FULL, filters=in_order(FULL.filters))
    same_order = replace(FULL, filters=in_order(FULL.filters))  # CHOICES are sorted but for EVIL
    form = parse_html(filter_form(same_order, CHOICES, TITLES)).find("form")
    assert submitted(form) == same_order
    home = MapQuery(place="proces")
    assert submitted(parse_html(filter_form(home, CHOICES, TITLES)).find("form")) == home


def test_clear_filters_only_when_a_filter_is_active_and_it_keeps_the_view() -> None:
    def clear_links(query: MapQuery) -> list[Node]:
        root = parse_html(filter_form(query, CHOICES, TITLES))
        return [a for a in root.find_all("a") if a.text == "Clear filters"]

    assert clear_links(replace(FULL, filters=Filters())) == []
    assert clear_links(MapQuery(Filters(search="   "))) == []  # blank search filters nothing
    for active in (Filters(search="fort"), Filters(categories=("bar",)), Filters(tags=("food",)),
                   Filters(precisions=("city",)), Filters(articles=("second.txt",)), FULL.filters):
        [link] = clear_links(replace(FULL, filters=active))
        cleared = query_of(link.attr("href"))
        assert cleared == replace(FULL, filters=Filters())
        assert cleared.place == "cherniy"
        assert link.attrs.get("target") == "_self"


def test_article_filter_only_with_several_articles() -> None:
    def legends(titles: Mapping[str, str]) -> list[str]:
        root = parse_html(filter_form(MapQuery(), CHOICES, titles))
        return [node.text for node in root.find_all("legend")]

    assert "Article" not in legends({})
    assert "Article" not in legends({"only.txt": "Only"})
    assert "Article" in legends(TITLES)
    root = parse_html(filter_form(MapQuery(), CHOICES, TITLES))
    article_boxes = root.find_all("input", type="checkbox", name="article")
    assert [(box.attr("value"), box.text) for box in article_boxes] == [
        ("moscow-in-the-balkans.txt", ""), ("second.txt", "")]
    shown = [label.text.strip() for label in root.find_all("label")
             if label.find_all("input", name="article")]
    assert shown == ["Moscow in the Balkans", TITLE]  # titles shown, file names sent


def test_filter_form_leaves_out_filters_with_no_values() -> None:
    root = parse_html(filter_form(MapQuery(), {"category": ["bar"]}, {}))
    summaries = [node.find("summary").text for node in root.find_all("details")]
    assert summaries == ["Category", "Years"]  # the timeline's years are always offered


# The tour ----------------------------------------------------------------------------------

IDS = ["fortress", "cherniy", "proces"]


def tour_links(query: MapQuery, ids: Sequence[str], current: str | None) -> tuple[Node, Node, str]:
    nav = parse_html(tour(query, ids, current)).find("nav", **{"aria-label": "Tour"})
    return nav.children[0], nav.children[2], nav.find("span", **{"class": "position"}).text


@pytest.mark.parametrize("current", [*IDS, None, "gone"])
def test_tour_steps_wrap_round_and_keep_the_filters(current: str | None) -> None:
    query = replace(FULL, place=current)
    prev, nxt, _ = tour_links(query, IDS, current)
    assert (prev.tag, prev.attrs.get("id"), prev.text) == ("a", "tour-prev", "◀ Previous")
    assert (nxt.tag, nxt.attrs.get("id"), nxt.text) == ("a", "tour-next", "Next ▶")
    assert query_of(prev.attr("href")) == replace(FULL, place=step(IDS, current, -1))
    assert query_of(nxt.attr("href")) == replace(FULL, place=step(IDS, current, 1))


def test_tour_wraps_at_both_ends() -> None:
    prev, _, _ = tour_links(MapQuery(), IDS, "fortress")
    _, nxt, _ = tour_links(MapQuery(), IDS, "proces")
    assert query_of(prev.attr("href")).place == "proces"
    assert query_of(nxt.attr("href")).place == "fortress"
    prev, nxt, _ = tour_links(MapQuery(), IDS, None)
    assert query_of(prev.attr("href")).place == "proces"
    assert query_of(nxt.attr("href")).place == "fortress"


def test_tour_position() -> None:
    assert tour_links(MapQuery(), IDS, "cherniy")[2] == "Tour in article order: stop 2 of 3"
    assert tour_links(MapQuery(), IDS, None)[2] == "Tour in article order: 3 stops"
    assert tour_links(MapQuery(), IDS, "gone")[2] == "Tour in article order: 3 stops"
    assert tour_links(MapQuery(), ["only"], None)[2] == "Tour in article order: 1 stop"
    many = [f"p{n}" for n in range(1234)]
    assert tour_links(MapQuery(), many, "p0")[2] == "Tour in article order: stop 1 of 1,234"


def test_tour_without_places_is_a_count_without_steps() -> None:
    page = parse_html(tour(MapQuery(), [], None))
    assert page.find("p", **{"class": "tour"}).text == "Tour in article order: 0 stops"
    assert page.find_all("a") == []
    assert page.find_all("nav") == []


def test_tour_arrows_are_hidden_from_screen_readers() -> None:
    prev, nxt, _ = tour_links(MapQuery(), IDS, None)
    for link, arrow in ((prev, "◀"), (nxt, "▶")):
        assert [span.text for span in link.find_all("span", **{"aria-hidden": "true"})] == [arrow]
    assert "".join(p for p in prev.parts if isinstance(p, str)).strip() == "Previous"
    assert "".join(p for p in nxt.parts if isinstance(p, str)).strip() == "Next"


def test_tour_escapes_place_ids_in_links() -> None:
    page = tour(MapQuery(), ['a"<b>', "c"], None)
    assert "<b>" not in page
    prev, _, _ = tour_links(MapQuery(), ['a"<b>', "c"], None)
    assert query_of(prev.attr("href")).place == "c"
    _, nxt, _ = tour_links(MapQuery(), ['a"<b>', "c"], None)
    assert query_of(nxt.attr("href")).place == 'a"<b>'


# Switches ----------------------------------------------------------------------------------

def only_link(fragment: str) -> Node:
    return parse_html(fragment).find("a")


@pytest.mark.parametrize("base", [MapQuery(), FULL, replace(FULL, list_by=None, table=False,
                                                             downloads=False)])
def test_switches_say_their_state_and_toggle_it(base: MapQuery) -> None:
    def expanded(link: Node) -> str:
        return link.attr("aria-expanded")

    link = only_link(list_switch(base))
    assert link.attrs.get("role") == "button"
    assert link.attrs.get("id") == "switch-list"
    assert expanded(link) == ("true" if base.list_by else "false")
    assert query_of(link.attr("href")) == replace(base, list_by=None if base.list_by else "category")

    link = only_link(table_switch(base))
    assert link.attrs.get("id") == "switch-table"
    assert expanded(link) == ("true" if base.table else "false")
    assert query_of(link.attr("href")) == replace(base, table=not base.table)

    link = only_link(downloads_switch(base, 3))
    assert link.attrs.get("id") == "switch-downloads"
    assert expanded(link) == ("true" if base.downloads else "false")
    assert query_of(link.attr("href")) == replace(base, downloads=not base.downloads)
    assert "Download the 3 places shown" in link.text


@pytest.mark.parametrize("grouping", ["category", "article"])
def test_list_switch_closes_either_grouping(grouping: str) -> None:
    query = MapQuery.from_mapping({"list": grouping, "place": "proces"})
    link = only_link(list_switch(query))
    assert link.attr("aria-expanded") == "true"
    assert query_of(link.attr("href")) == MapQuery(place="proces")
    reopened = only_link(list_switch(query_of(link.attr("href"))))
    assert reopened.attr("aria-expanded") == "false"
    assert query_of(reopened.attr("href")).list_by == "category"


def test_downloads_switch_counts_in_words() -> None:
    assert "Download the 1 place shown" in only_link(downloads_switch(MapQuery(), 1)).text
    assert "Download the 1,000 places shown" in only_link(downloads_switch(MapQuery(), 1000)).text


# Extent and grouping -----------------------------------------------------------------------

def current_marks(fragment: str) -> list[tuple[str, MapQuery, bool]]:
    links = parse_html(fragment).find("div", role="group").find_all("a")
    assert all(link.attrs.get("aria-current") in (None, "true") for link in links)
    return [(link.text, query_of(link.attr("href")), "aria-current" in link.attrs)
            for link in links]


@pytest.mark.parametrize("base", [MapQuery(), FULL, replace(FULL, all_places=False)])
def test_extent_links_mark_the_current_extent_only(base: MapQuery) -> None:
    marks = current_marks(extent_links(base, 'Belgrade <"home">'))
    assert marks == [('Belgrade <"home">', replace(base, all_places=False), not base.all_places),
                     ("All places", replace(base, all_places=True), base.all_places)]
    assert sum(current for _, _, current in marks) == 1
    assert "<\"home\">" not in extent_links(base, 'Belgrade <"home">')


@pytest.mark.parametrize("list_by", [None, "category", "article"])
def test_grouping_links_mark_the_current_grouping_only(list_by: str | None) -> None:
    base = MapQuery.from_mapping({"list": list_by or "", "place": "proces", "category": "bar"})
    marks = current_marks(grouping_links(base))
    assert marks == [("Category", replace(base, list_by="category"), list_by == "category"),
                     ("Article", replace(base, list_by="article"), list_by == "article")]
    assert sum(current for _, _, current in marks) == (0 if list_by is None else 1)


def test_known_drops_filter_values_the_data_lacks() -> None:
    stale = MapQuery(Filters(("bar", "gone"), ("exile",), ("city", "moon"), "proces", ("a.txt", "b.txt")),
                     place="proces")
    known = stale.known({"category": ["bar", "cafe"], "tags": ["exile"], "precision": ["city"]},
                        ["a.txt"])
    assert known == MapQuery(Filters(("bar",), ("exile",), ("city",), "proces", ("a.txt",)),
                             place="proces")
    assert known.known({"category": ["bar"], "tags": ["exile"], "precision": ["city"]},
                       ["a.txt"]) is known  # nothing stale: the same view
