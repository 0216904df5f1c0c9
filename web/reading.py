"""Reading settings: a larger text and a narrower or wider line for article pages, chosen on
the settings page and kept in a cookie, applied by a small stylesheet made from the cookie
(the pages themselves stay the same for every reader, and for every cache)."""

from __future__ import annotations

from dataclasses import dataclass

COOKIE = "reading"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie (RFC 6265bis)
# choice -> (label, what it is for); the first of each is the default
SIZES = {"standard": ("Standard", "as the site sets it"),
         "large": ("Large", "about a fifth larger"),
         "larger": ("Larger", "about half as large again")}
# (letters a line at the standard size; a larger text puts fewer on the same line)
WIDTHS = {"standard": ("Standard", "about 65 letters a line"),
          "narrow": ("Narrow", "about 55 letters a line: the eye finds the next line easily"),
          "wide": ("Wide", "about 90 letters a line, on a wide screen: less scrolling")}
DEFAULT_SIZE, DEFAULT_WIDTH = "standard", "standard"

# What each choice changes (screen only: a printed page keeps the print stylesheet's type).
# Selectors repeat style.css's, which this sheet follows, so that they win by order.
_BODY = ".article .body"
_RTL_BODY = '.article[dir="rtl"] .body'
_SIZE_RULES = {
    "large": f"{_BODY} {{ font-size: 1.4rem; line-height: 1.7; }}\n"
             f"{_RTL_BODY} {{ font-size: 1.55rem; line-height: 1.95; }}\n"
             ".article .subtitle { font-size: 1.4rem; }\n",
    "larger": f"{_BODY} {{ font-size: 1.7rem; line-height: 1.75; }}\n"
              f"{_RTL_BODY} {{ font-size: 1.85rem; line-height: 2; }}\n"
              ".article .subtitle { font-size: 1.6rem; }\n",
}
_COLUMN = (".article, .page-article main > nav, .page-article .cite, .page-article .issue-nav, "
           ".page-article .same-page, .page-article .same-story")
_WIDTH_RULES = {"narrow": f"{_COLUMN} {{ max-width: 32rem; }}\n",
                "wide": f"{_COLUMN} {{ max-width: 56rem; }}\n"}


@dataclass(frozen=True)
class Reading:
    """A reader's settings."""

    size: str = DEFAULT_SIZE
    width: str = DEFAULT_WIDTH

    @property
    def default(self) -> bool:
        return self.size == DEFAULT_SIZE and self.width == DEFAULT_WIDTH


def from_cookie(value: str | None) -> Reading:
    """The settings a cookie holds ("large.narrow"); a value this version does not know
    (an older one's, or tampered with) reads as the default."""
    size, _, width = (value or "").partition(".")
    return Reading(size if size in SIZES else DEFAULT_SIZE,
                   width if width in WIDTHS else DEFAULT_WIDTH)


def to_cookie(reading: Reading) -> str:
    return f"{reading.size}.{reading.width}"


def stylesheet(reading: Reading) -> str:
    """The CSS that applies the settings (a comment only for the defaults)."""
    rules = _SIZE_RULES.get(reading.size, "") + _WIDTH_RULES.get(reading.width, "")
    head = f"/* reading settings: text {reading.size}, line width {reading.width} */\n"
    return head + (f"@media screen {{\n{rules}}}\n" if rules else "")


def local_path(back: str) -> str | None:
    """`back` when it is a path of this site (/...), else None: the settings page returns
    only there, never to another site (no open redirect)."""
    if not back.startswith("/") or back.startswith(("//", "/\\")) or len(back) > 2000:
        return None
    if any(c < " " or c == "\\" for c in back):
        return None
    return back
