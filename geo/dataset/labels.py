"""Words the map, the panel and the exports show for a place; one place for each phrasing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geo.models import Precision

EXACT_RADIUS_M = 100  # beyond this a "building" is a site (a park, a fortress): shown as approximate
EXCERPT_CHARS = 220


def is_approximate(precision: Precision, uncertainty_m: int) -> bool:
    """Whether a pin must not be drawn as if it were the door."""
    return precision.is_approximate or uncertainty_m > EXACT_RADIUS_M


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 place', '2 places', '1,000 places' ('1 city', '3 cities' with `many`): every count
    a reader sees goes through here."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def tooltip_text(props: Mapping[str, Any]) -> str:
    """The tooltip, which is also how a click is traced back to a place (names are unique)."""
    return str(props["name"])


def short_excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def distance(metres: int) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres} m"


def precision_label(props: Mapping[str, Any]) -> str:
    """'exact location', or how approximate: the level and the radius."""
    if not props.get("approximate"):
        return "exact location"
    size = distance(int(props["uncertainty_m"]))
    if props["precision"] == Precision.BUILDING.value:
        return f"a site about {size} across from its pin"
    return f"approximate: {props['precision']} level, within about {size}"


TITLES_SHOWN = 3  # a page title naming more articles than this ends "and N more"


def collection_title(articles: Sequence[Mapping[str, str]], shown: int = TITLES_SHOWN) -> str:
    """'Places in “A”'; 'Places in 3 articles: “A” · “B” · “C”'; past `shown` titles,
    '… · “C” and 9 more', so the title stays a title however many articles there are."""
    if len(articles) < 2:
        return short_title(articles)
    return f"{short_title(articles)}: {article_list(articles, shown)}"


def short_title(articles: Sequence[Mapping[str, str]]) -> str:
    """'Places in “A”', or 'Places in 3 articles': a page heading of one line, so the map
    below it stays in view."""
    if not articles:
        return "Places"
    if len(articles) == 1:
        return f"Places in “{articles[0]['title']}”"
    return f"Places in {plural(len(articles), 'article')}"


def corpus_heading(shown: Sequence[Mapping[str, str]], lead: Mapping[str, str] | None) -> str:
    """The heading of a map of several articles: 'Places in “Lead” and 3 more articles'.

    `lead` is the article to name (the seed article, or the first of those shown by date);
    one article shown is named alone, none gives 'Places'.
    """
    if lead is None or len(shown) < 2:
        return short_title(shown)
    return f"Places in “{lead['title']}” and {plural(len(shown) - 1, 'more article')}"


def article_list(articles: Sequence[Mapping[str, str]], shown: int = TITLES_SHOWN) -> str:
    """'“A” · “B” · “C”', and past `shown` titles '… and 9 more'."""
    titles = [f"“{article['title']}”" for article in articles]
    more = f" and {len(titles) - shown} more" if len(titles) > shown else ""
    return " · ".join(titles[:shown]) + more


WAVE_LABELS = {"first": "First emigration, 1919–1945", "2022": "Emigration since 2022",
               "both": "Both waves", "landmark": "City landmark"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def date_label(text: str) -> str:
    """'1933', 'April 1933' or '9 April 1933', as the date was written."""
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def period_label(props: Mapping[str, Any]) -> str:
    """When the place was there, saying what that rests on: 'from 1933', '1924 – 1944',
    'named in an article of May 2023' (the articles' dates, never an opening date), or
    'date unknown'."""
    start, end, basis = props.get("period_from"), props.get("period_until"), props.get("period_basis")
    if basis == "articles" and start:
        first, last = _month(start), _month(end or start)
        return (f"named in an article of {first}" if first == last
                else f"named in articles from {first} to {last}")
    if basis != "sources" or not (start or end):
        return "date unknown"
    if start and end:
        return f"{date_label(start)} – {date_label(end)}"
    return f"from {date_label(start)}" if start else f"until {date_label(str(end))}"


def _month(text: str) -> str:
    return date_label(text[:7])
