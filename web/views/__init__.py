"""Blueprints (search, article, browse, api) and what their views share: one data dict per
page, rendered as HTML or returned as its JSON twin."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, jsonify, render_template

from web import urls

Alternate = tuple[str, str, str]  # (mime type, href, title)


def relative(path: str) -> str:
    """URLs in HTML pages stay relative to the site."""
    return path


def json_twin(data: dict, status: int = 200, links: Iterable[tuple[str, str]] = ()) -> Response:
    """The JSON twin of a page; `links` become a Link header (rel="next" ...)."""
    response = jsonify(data)
    response.status_code = status
    header = ", ".join(f'<{urls.as_uri(href)}>; rel="{rel}"' for rel, href in links if href)
    if header:
        response.headers["Link"] = header
    return response


def html_page(template: str, data: dict, alternates: Iterable[Alternate] = (),
              status: int = 200, **extra) -> tuple[str, int]:
    """A page: the template gets the data dict's keys plus presentation-only extras."""
    return render_template(template, **data, alternates=list(alternates), **extra), status
