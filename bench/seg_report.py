"""The segmentation benchmark's JSON as markdown: a paragraph of definitions, one table row
per collection and run, the pooled figures per run, and the ingest speed."""

from __future__ import annotations

DEFINITIONS = {
    "truth": "true items come from the library's own structure, parsed by the benchmark: "
             "METS logical divs (ARTICLE, ADVERT/ADVERTISEMENT, OTHER; a SECTION's own "
             "heading and text is 'other') and the areas they reach in the ALTO pages; "
             "hand annotations of hOCR paragraphs (text/title: article by articleID, "
             "publicity: advertisement, meta/separator/none: furniture); words in no item "
             "are furniture",
    "truth_unit": "what a true item is for a run: 'issue' for the METS run (the METS joins "
                  "an article's parts on several pages into one item), 'page' for every "
                  "run that reads page files one by one, and for the baselines (each true "
                  "item's part on each page is one item to recover: no page file says which "
                  "article goes on in another)",
    "tokens": "words compared casefolded (NFKC), letters and digits only; a hyphenated "
              "word counts once; a stored item's text is its headline, subtitle, byline, "
              "dateline and paragraphs",
    "placement": "each true line is placed in the stored item holding most of its "
                 "3-token shingles (needing half the line's own, weighted by rarity); a "
                 "line of 1-2 tokens in its block neighbour's item if that holds them, "
                 "else in the one item starting or ending with them; else in no item",
    "true_articles_per_page": "true articles of at least 5 tokens / pages",
    "recovered": "share of true articles that one stored item holds >= 80% of, with no "
                 "more than 20% of that item's tokens from elsewhere",
    "ari": "adjusted Rand index of line -> item (furniture and 'in no item' are labels "
           "too) on each page, averaged over pages",
    "ari_issue": "the same over all lines of an issue at once; pooled: mean over issues",
    "leak": "share of furniture and advertisement tokens placed in stored items of kind "
            "article",
    "ad_precision": "share of tokens in stored advertisements that are true "
                    "advertisement tokens",
    "ad_recall": "share of true advertisement tokens in stored advertisements",
    "kept": "share of true article tokens placed in some stored item",
    "stored_items_per_page": "stored items of every kind / pages",
    "whole_pages": "pages printing two true articles or more that one stored item holds "
                   ">= 80% of the article tokens of, and most of two articles' or more "
                   "(out of pages_of_several)",
}

_EXPLAIN = (
    "Each run ingests one form of the same scanned pages with the real ingester and "
    "compares the stored items with ground truth the benchmark derives itself (METS "
    "logical structure, hOCR hand annotations). Words are compared as casefolded letters "
    "and digits, and each true line is placed in the stored item holding most of its "
    "3-word shingles (or in none). A true article (of 5 words or more) is **recovered** "
    "when one stored item holds at least 80% of its words and no more than 20% of that "
    "item comes from elsewhere. **ARI** is the adjusted Rand index of the line-to-item "
    "assignment (furniture and 'in no item' count as labels) on each page, averaged over "
    "pages; a page that is one long article is its degenerate case (one misplaced line "
    "scores about 0), so **ARI issue** takes all lines of an issue at once (which favours "
    "big items instead: a whole page as one item scores well above 0). **Leak** is the "
    "share of furniture and advertisement words that went into stored items of kind "
    "article; **ad P/R** the word-level precision and recall of "
    "kind advertisement; **kept** the share of true article words stored at all; "
    "**whole pages** the pages printing two true articles or more that one stored item "
    "holds 80% of the article words of, and most of two articles' or more (a page stored "
    "as one article), of all such pages. The "
    "baselines show the scale: *perfect* is the truth scored against itself (alignment "
    "noise only), *one-item-per-block* makes every OCR block an article, *whole-page* "
    "every page. **Truth** is the unit a run is scored against: *issue* for the METS "
    "run (an article continued on another page is one item), *page* for the readers of "
    "single page files and the baselines (each part of an article on a page is an item "
    "of its own: a page file cannot say where its articles go on).")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}" if value >= 0.995 or value == 0 \
        else f"{value:.1%}"


def _num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    shown = f"{value:.{digits}f}"
    return shown[1:] if shown.startswith("-") and not shown.strip("-0.") else shown


def _cells(entry: dict) -> list[str]:
    status = entry.get("status", "")
    if "pages" not in entry:  # not measured: the status says why
        return [status.replace("|", "/")] + [""] * (len(_HEAD) - 1)
    shown = status if status in ("ok", "baseline") else status.replace("|", "/")
    read_by = ", ".join(entry.get("read_by", {}))
    if read_by:
        shown = f"{shown} ({read_by})"
    return [shown, _num(entry["true_articles_per_page"], 1),
            _num(entry["stored_items_per_page"], 1), _pct(entry["recovered"]),
            _num(entry["ari"]), _num(entry["ari_issue"]), _pct(entry["leak"]),
            f"{_pct(entry['ad_precision'])} / {_pct(entry['ad_recall'])}",
            _pct(entry["kept"]), _whole(entry), entry.get("truth", "issue")]


def _whole(entry: dict) -> str:
    several = entry.get("pages_of_several")
    return "n/a" if several is None else f"{entry.get('whole_pages', 0)} / {several}"


_HEAD = ["status (read by)", "true art./page", "stored/page", "recovered", "ARI",
         "ARI issue", "leak", "ad P / R", "kept", "whole pages", "truth"]


def markdown(data: dict) -> str:
    """The definitions paragraph, the per-collection table, pooled figures and speed."""
    lines = ["# Segmentation benchmark", "", _EXPLAIN, "",
             "| collection | pages | run | " + " | ".join(_HEAD) + " |",
             "|---|---|---|" + "---|" * len(_HEAD)]
    for collection in data["collections"].values():
        pages = collection["truth"]["pages"]
        for run, entry in collection["runs"].items():
            lines.append(f"| {collection['label']} | {pages} | {run} | "
                         + " | ".join(_cells(entry)) + " |")
    lines += ["", "All collections a run measured, pooled (ARI: mean over pages; ARI issue: over "
              "issues):", "",
              "| run | collections | pages | " + " | ".join(_HEAD[1:]) + " |",
              "|---|---|---|" + "---|" * (len(_HEAD) - 1)]
    for run, entry in data["overall"].items():
        cells = _cells({**entry, "status": ""})[1:]
        lines.append(f"| {run} | {len(entry['collections'])} | {entry['pages']} | "
                     + " | ".join(cells) + " |")
    lines += ["", f"Ingest speed (jobs={data['jobs']}, one ingest() call per run, "
              "seconds of that call):", "", "| run | pages | seconds | pages/s |",
              "|---|---|---|---|"]
    for run, entry in data["speed"].items():
        rate = entry.get("pages_per_s")
        shown = _num(rate, 1) if rate is not None else entry.get("status", "n/a")
        lines.append(f"| {run} | {entry.get('pages', 'n/a')} | "
                     f"{_num(entry.get('seconds'), 2)} | {shown} |")
    if data.get("notes"):
        lines += ["", "Notes:", ""] + [f"- {note}" for note in data["notes"]]
    return "\n".join(lines) + "\n"
