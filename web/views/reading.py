"""The reading settings page (text size, line width), which keeps them in a cookie, and the
stylesheet that applies them to article pages."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request

from web import reading, urls
from web.views import html_page

bp = Blueprint("reading", __name__)


@bp.get(urls.SETTINGS)
def settings():
    """The settings form; with `text` or `width` it saves them (a cookie) and goes back to
    `back`, a page of this site (else to this page). A GET, as every address of the site
    is: the choice is only how pages look, and no script is needed to make it."""
    back = reading.local_path(request.args.get(urls.BACK, "")) or ""
    if urls.TEXT in request.args or urls.WIDTH in request.args:
        return _save(back)
    current = reading.from_cookie(request.cookies.get(reading.COOKIE))
    response = Response(html_page(
        "settings.html", {}, current=current, sizes=reading.SIZES, widths=reading.WIDTHS,
        back=back)[0])
    response.headers["Cache-Control"] = "no-store"  # it shows this reader's own cookie
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _save(back: str):
    size = request.args.get(urls.TEXT, reading.DEFAULT_SIZE) or reading.DEFAULT_SIZE
    width = request.args.get(urls.WIDTH, reading.DEFAULT_WIDTH) or reading.DEFAULT_WIDTH
    if size not in reading.SIZES:
        abort(400, description=f"The text size must be one of {', '.join(reading.SIZES)}, "
                               f"not “{size[:20]}”.")
    if width not in reading.WIDTHS:
        abort(400, description=f"The line width must be one of {', '.join(reading.WIDTHS)}, "
                               f"not “{width[:20]}”.")
    chosen = reading.Reading(size, width)
    response = redirect(urls.as_uri(back or urls.settings()), 303)
    if chosen.default:
        response.delete_cookie(reading.COOKIE, samesite="Lax", httponly=True)
    else:
        response.set_cookie(reading.COOKIE, reading.to_cookie(chosen),
                            max_age=reading.COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get(urls.READING_CSS)
def stylesheet():
    """The CSS of this reader's settings: revalidated on every page (no-cache, a 304 when
    unchanged), so a new choice shows at once on pages the browser has cached."""
    chosen = reading.from_cookie(request.cookies.get(reading.COOKIE))
    response = Response(reading.stylesheet(chosen), mimetype="text/css")
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie"
    return response
