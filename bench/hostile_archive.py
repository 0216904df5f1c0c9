"""The archive of bench.hostile_http: seed-layout pages whose headline, byline or subtitle,
body, section, publication and dateline place hold markup, spreadsheet formulas and characters
XML forbids."""

from __future__ import annotations

import json
from pathlib import Path

MARKER = "krakenquill"  # in every hostile article: a query that finds them all
# Markup as an attacker writes it, each with a tell-tale a check can find in a parsed page
# (an element or attribute that only the payload can have brought).
PAYLOADS = (
    '<script>alert("pwn1")</script>',
    '"><img src=x onerror=alert("pwn2") data-pwn=2>',
    "'><svg/onload=alert(3) data-pwn=3>",
    "javascript:alert(4)",
    '<a href="javascript:alert(5)" data-pwn=5>click</a>',
    '</title></textarea><script>alert("pwn6")</script>',
    '<iframe src="javascript:alert(7)" data-pwn=7></iframe>',
    '<base href="http://attacker.example/"><meta http-equiv="refresh" content="0;url='
    'javascript:alert(8)">',
    "<<script>alert(9)//<</script>",
    '" autofocus onfocus="alert(10)" data-pwn="10',
)
# Cells a spreadsheet would run (OWASP CSV injection), as headlines, bylines and queries
FORMULAS = ('=HYPERLINK("http://attacker.example/x","Click")', "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")
ODD_TEXT = "Oil \ufffe prices \U0010ffff rise \x1b again"  # characters XML 1.0 forbids


# --- the archive ----------------------------------------------------------------------------

def write_hostile_pages(root: Path) -> list[Path]:
    """Seed-layout pages whose headline, byline or subtitle, body, section and publication
    (sidecar) hold PAYLOADS, FORMULAS and ODD_TEXT; every one mentions MARKER."""
    pages = []
    texts = [*PAYLOADS, *FORMULAS, ODD_TEXT]
    for number, text in enumerate(texts):
        hostile = text in PAYLOADS
        headline = f"Harbour {text} report" if number % 2 else text
        credit = f"By {text}" if number % 3 == 0 else (text if hostile else "-")
        body = [f"KUWAIT CITY, Nov 5, (KUNA): The {MARKER} council met about {text} on "
                "Sunday to discuss the harbour and the oil prices.",
                f"{text} was written on the wall, officials said of item {number}."]
        page = "\n\n".join(["Arab Times", headline, credit, *body, "Newspapers in English"])
        path = root / f"2019-07-{1 + number % 3:02d}" / f"hostile{number}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page + "\n", encoding="utf-8")
        sidecar: dict = {"page": number + 1}
        if hostile:  # sidecar text: no control characters (archive.metadata refuses them)
            sidecar["section"] = text
            if number % 2 == 0:
                sidecar["publication"] = f"Gazette {text}"
        path.with_name(path.name + ".json").write_text(json.dumps(sidecar))
        pages.append(path)
    return pages


def build(data_dir: Path, engine: str, pages: Path, background: int = 0,
          seed: int = 14) -> None:
    """Ingest the hostile pages (and `background` ordinary ones) into data_dir, give their
    articles hostile dateline places (no reader makes a place of markup today; a reader of
    another form may), and build the index with `engine`."""
    from archive.ingest import ingest
    from archive.store import Store
    from bench.kill_runs import write_pages
    from index.build import rebuild
    from index.library import INDEX_NAME, STORE_NAME

    write_hostile_pages(pages / "hostile")
    if background:
        write_pages(pages / "plain", background, seed)
    store = Store(data_dir / STORE_NAME)
    try:
        ingest(store, [pages])
        with store.transaction() as db:
            ids = [row[0] for row in db.execute(
                "SELECT id FROM articles WHERE source LIKE ? ORDER BY id",
                (f"{pages / 'hostile'}/%",))]
            for number, article_id in enumerate(ids):
                db.execute("UPDATE articles SET place = ? WHERE id = ?",
                           (PAYLOADS[number % len(PAYLOADS)], article_id))
        rebuild(store, data_dir / INDEX_NAME, full=True, engine=engine)
    finally:
        store.close()
