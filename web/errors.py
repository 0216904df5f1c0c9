"""Errors as pages (or JSON for the API), never a traceback; and the headers every response
carries (Content-Security-Policy, no sniffing, CORS on JSON, noindex on searches, caching,
redirects to the canonical address)."""

from __future__ import annotations

from flask import Flask, Response, jsonify, redirect, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from archive.store import StoreError
from index.engine import IndexMissing, SearchError
from web import caching, urls

# The site works without JavaScript, so no script may run: default-src 'none'. The one
# script it has (web/static/matches.js, keys from match to match) is a file of its own
# that only article pages load: those pages (SCRIPT_CSP) allow same-origin script files,
# still no inline script and no other site's.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
SCRIPT_CSP = CSP.replace("default-src 'none';", "default-src 'none'; script-src 'self';")
REDIRECTS = (301, 302, 303, 307, 308)
JSON_TYPES = ("application/json", "application/x-ndjson")
FRIENDLY = {404: "There is no page at this address. It may have been mistyped; search the "
                 "archive or start from the home page.",
            405: "This address only answers GET requests."}
TITLES = {400: "Cannot run this search", 404: "Not found", 405: "Method not allowed",
          410: "Removed from the archive", 500: "Something went wrong",
          503: "The archive is not ready"}


def wants_json() -> bool:
    return request.path.endswith((".json", ".jsonl"))


def error_response(status: int, message: str, data: dict | None = None,
                   template: str = "error.html", **context) -> tuple[Response | str, int]:
    """The error as JSON for API paths (with `data` beside the message), else as the error
    page (or `template`, which gets `context`)."""
    if wants_json():
        return jsonify({"ok": False, "status": status, "error": message, **(data or {})}), \
            status
    title = TITLES.get(status, "Error")
    return render_template(template, status=status, title=title, message=message,
                           **context), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:  # routing redirects (trailing slash)
            return error
        message = error.description or ""
        if message == type(error).description:  # Werkzeug's generic wording
            message = FRIENDLY.get(error.code or 500, message)
        return error_response(error.code or 500, message)

    @app.errorhandler(IndexMissing)
    def no_index(error: IndexMissing):
        reason = str(error) or "there is no search index yet: run `newsarchive rebuild`"
        # "There is no search index yet: run ..." or "... built by an older version: run ..."
        return error_response(503, f"{reason[0].upper()}{reason[1:]}. Once the operator has "
                                   "done that (it ingests the pages and builds the index), "
                                   "reload this page.")

    @app.errorhandler(SearchError)
    def bad_search(error: SearchError):  # a view that did not check first: still a 400
        return error_response(400, str(error))

    @app.errorhandler(StoreError)
    def bad_store(error: StoreError):
        app.logger.error("article store: %s", error)
        return error_response(503, "The article store cannot be opened; the operator has "
                                   "been told (see the server log).")

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        return error_response(500, "The server failed to answer this request. Please try "
                                   "again; if it keeps happening, tell the operator.")

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if response.mimetype in JSON_TYPES:
            response.headers["Access-Control-Allow-Origin"] = "*"
        if request.path == urls.SEARCH or request.path.startswith(urls.SEARCH + "."):
            response.headers["X-Robots-Tag"] = "noindex"
        if response.location:  # Werkzeug's own (a trailing slash) are built from Host
            moved = urls.absolute_location(response.location)
            if moved != response.location and response.status_code in REDIRECTS:
                # and so is the page it sends with them: the same page for the new address
                response.set_data(redirect(moved, response.status_code).get_data())
            response.location = moved
        return caching.cache_headers(response)
