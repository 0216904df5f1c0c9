"""Deterministic generator of seed-layout pages for benchmarks and large tests.

Bodies are recombined from real sentences of the corpora in ../shared/corpus/ (Tehran
Times, BBC, AG News) when present, so word statistics are those of real news; a small
built-in vocabulary keeps the generator working without them. Nothing is copied into
this repository: the text is read at run time."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import random
import re
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PLACES = ["KUWAIT CITY", "MOSCOW", "HANOI", "WASHINGTON", "BEIRUT", "LONDON", "DUBAI",
          "TEHRAN", "CAIRO", "RIYADH", "DOHA", "MANAMA", "MUSCAT", "BAGHDAD", "DAMASCUS",
          "AMMAN", "ANKARA", "PARIS", "BERLIN", "BEIJING", "NEW DELHI", "ISLAMABAD",
          "TOKYO", "GENEVA", "UNITED NATIONS", "AL-JAHRA", "SALMIYA", "HAWALLY"]
AGENCIES = ["KUNA", "AFP", "AP", "Reuters", "dpa", "Xinhua", "IANS", "Agencies",
            "AFP, Reuters"]
BYLINES = ["Fatma Al-Sabah", "John Smith", "Ahmed Saeed", "Maria Lopez"]

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov",
          "Dec"]
FALLBACK = ("The minister said the plan would be carried out over five years. Officials "
            "met on Sunday to discuss the budget and the new housing projects. Oil prices "
            "rose in early trading as markets weighed supply. The council approved the "
            "proposal after a long debate. Police said the investigation was continuing.")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def sentences(limit: int = 200_000) -> tuple[list[str], list[str]]:
    """(sentences, headlines) from the shared corpora, or from a small fallback."""
    found: list[str] = []
    headlines: list[str] = []
    tehran = CORPUS / "tehran-times/Kmahmoudi__Tehran-Times-Dataset/data.tar.gz"
    bbc = CORPUS / "news-bulk/moztom__bbc_ml/bbc.tar.gz"
    ag = CORPUS / "news-bulk/little-aztl__NLP-LogLinear/ag_news_csv/test.csv.gz"
    for text, title in _tar_texts(tehran, 6000):
        found.extend(_split(text.split("All Content by")[0]))
        headlines.append(title)
    for text, _ in _tar_texts(bbc, 3000):
        head, _, body = text.partition("\n")
        headlines.append(head.strip())
        found.extend(_split(body))
    if ag.exists():
        with gzip.open(ag, "rt", encoding="utf-8", errors="replace") as stream:
            for row in csv.reader(stream):
                if len(row) == 3:
                    headlines.append(_ag_text(row[1]))
                    found.extend(_split(_ag_text(row[2])))
    found = [s for s in found if 6 <= len(s.split()) <= 60][:limit]
    headlines = [h for h in headlines if 2 <= len(h.split()) <= 14]
    if not found:  # figures made so are not comparable with the corpora's: say so
        found = _split(FALLBACK)
        print(f"bench: no shared corpus at {CORPUS}: generating from {len(found)} built-in "
              f"sentences", file=sys.stderr)
    return found, (headlines or ["Council approves budget plan"])


# AG News lost the "&" of its HTML entities and escaped dollars ("#39;s", "\\$50").
_AG_ENTITIES = {" #39;": "'", "#39;": "'", " amp;": "&", "#36;": "$", "quot;": '"',
                "amp;": "&", "lt;": "<", "gt;": ">", "\\$": "$", "\\": " "}
_AG_PATTERN = re.compile("|".join(re.escape(k) for k in _AG_ENTITIES))


def _ag_text(text: str) -> str:
    return _AG_PATTERN.sub(lambda m: _AG_ENTITIES[m.group()], text)


def _tar_texts(path: Path, count: int) -> Iterator[tuple[str, str]]:
    if not path.exists():
        return
    with tarfile.open(path) as archive:
        taken = 0
        for member in archive:
            if taken >= count:
                break
            if not member.isfile() or not member.name.endswith(".txt"):
                continue
            data = archive.extractfile(member)
            if data is None:
                continue
            text = data.read().decode("utf-8", errors="replace")
            title = " ".join(re.split(r"[-_]", Path(member.name).stem)[3:])
            taken += 1
            yield text, title


def _split(text: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCE.split(text) if s.strip()]


def page(rng: random.Random, sents: list[str], heads: list[str],
         date: dt.date) -> str:
    """One seed-layout page with realistic noise (column breaks, hyphenation)."""
    place = rng.choice(PLACES)
    dateline = f"{place}, {MONTHS[date.month - 1]} {date.day}"
    if rng.random() < 0.6:
        dateline += f", ({rng.choice(AGENCIES)})"
    byline = "-" if rng.random() < 0.7 else f"By {rng.choice(BYLINES)} Arab Times Staff"
    paragraphs = []
    for _ in range(rng.randint(3, 12)):
        paragraphs.append(" ".join(rng.choice(sents) for _ in range(rng.randint(1, 3))))
    paragraphs[0] = f"{dateline}: {paragraphs[0]}"
    if rng.random() < 0.2 and len(paragraphs) > 2:  # a column break mid-sentence
        words = paragraphs[1].split()
        if len(words) > 8:
            cut = rng.randint(3, len(words) - 3)
            paragraphs[1:2] = [" ".join(words[:cut]), " ".join(words[cut:])]
    if rng.random() < 0.2:  # a line-end hyphen inside a paragraph
        words = paragraphs[-1].split()
        long = [i for i, w in enumerate(words) if len(w) > 7 and w.isalpha()]
        if long:
            i = rng.choice(long)
            words[i] = words[i][:4] + "-\n" + words[i][4:]
            paragraphs[-1] = " ".join(words)
    return "\n\n".join(["Arab Times", rng.choice(heads), byline, *paragraphs,
                        "Newspapers in English", "Newspapers from Kuwait"])


def generate(out: Path, articles: int, seed: int = 1977, bad_share: float = 0.002) -> int:
    """Write `articles` pages under out/<yyyy-mm-dd>/<n>.txt (plus a few bad files)."""
    rng = random.Random(seed)
    sents, heads = sentences()
    start, days = dt.date(1977, 1, 1), (dt.date(2025, 12, 31) - dt.date(1977, 1, 1)).days
    written = 0
    for number in range(articles):
        date = start + dt.timedelta(days=rng.randrange(days + 1))
        folder = out / date.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{number:07d}.txt"
        if rng.random() < bad_share:
            path.write_bytes(rng.choice([b"", b"\x00\x01binary\x00" * 50, b"\n\n-\n\n"]))
        else:
            path.write_text(page(rng, sents, heads, date), encoding="utf-8")
        written += 1
    return written
