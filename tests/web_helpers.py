"""What the tests of the site share to read its answers: the HTML as a tree, an absolute
URL of the test app as a path its test client fetches, a URL's query."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    """A test client's response as an HTML tree."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def local(url: str) -> str:
    """An absolute URL of the test app as a path the test client can fetch (its query and
    fragment kept)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "") + \
        (f"#{parts.fragment}" if parts.fragment else "")


def args_of(url: str) -> dict[str, list[str]]:
    """A URL's query as lists of values by name."""
    return parse_qs(urlsplit(url).query)
