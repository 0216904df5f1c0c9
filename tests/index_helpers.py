"""Shared helpers for the index, engine, rebuild and search CLI tests: a small hand-made
corpus (as Article objects or as seed-layout pages on disk) and a generator of a few
thousand varied pages for the rebuild, crash and speed tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from archive.articles import article_id
from archive.dateline import parse_dateline
from archive.furniture import known_publication
from archive.ingest import ingest
from archive.model import Article, Dateline
from archive.slugs import slugify
from archive.store import Store
from index.build import RebuildResult, rebuild
from index.library import INDEX_NAME, STORE_NAME
from index.quality import ocr_levels

D = dt.date


@dataclass(frozen=True)
class Spec:
    """One test article: what the page says and what its sidecar and path add."""

    key: str
    date: dt.date
    headline: str
    paragraphs: tuple[str, ...]
    dateline: str | None = None  # "KUWAIT CITY, Nov 5, (KUNA):"
    publication: str = "Arab Times"
    section: str | None = None
    page: int | None = None
    byline: str | None = None
    extra: dict = field(default_factory=dict)
    kind: str = "article"  # a scanned page's item; page_text() cannot say it (typed text)
    confidence: float | None = None  # OCR confidence, likewise only through article()

    @property
    def language(self) -> str:
        return (known_publication(self.publication) or ("", ""))[1]

    @property
    def country(self) -> str:
        return (known_publication(self.publication) or ("", ""))[0]

    def parsed_dateline(self) -> tuple[Dateline | None, str]:
        if not self.dateline:
            return None, ""
        return parse_dateline(self.dateline + " x")[0], ""

    @property
    def place(self) -> str | None:
        dateline = self.parsed_dateline()[0]
        return dateline.place if dateline else None

    @property
    def agencies(self) -> tuple[str, ...]:
        dateline = self.parsed_dateline()[0]
        return dateline.agencies if dateline else ()

    @property
    def id(self) -> str:
        return article_id(slugify(self.publication), self.date, self.page, f"{self.key}.txt",
                          self.headline, "".join(self.paragraphs))

    def article(self) -> Article:
        """The Article the ingester would make of this page (same id, same fields)."""
        dateline = None
        if self.dateline:
            parsed = parse_dateline(self.dateline + " x")[0]
            assert parsed is not None, self.dateline
            dateline = parsed
        return Article(
            id=self.id, publication=self.publication,
            publication_slug=slugify(self.publication), headline=self.headline,
            paragraphs=self.paragraphs, source=f"{self.key}.txt", country=self.country,
            language=self.language, date=self.date, date_source="path", page=self.page,
            section=self.section, byline=self.byline, dateline=dateline, kind=self.kind,
            confidence=self.confidence)

    def page_text(self) -> str:
        """The seed layout: masthead, headline, byline slot, paragraphs, footers."""
        first, *rest = self.paragraphs
        if self.dateline:
            first = f"{self.dateline} {first}"
        parts = [self.publication, self.headline,
                 f"By {self.byline}" if self.byline else "-", first, *rest]
        if self.language:
            parts += [f"Newspapers in {self.language}", f"Newspapers from {self.country}"]
        return "\n\n".join(parts) + "\n"

    def write(self, root: Path) -> Path:
        """Write the page at <root>/<yyyy-mm-dd>/<key>.txt, with a sidecar when needed."""
        path = Path(root) / self.date.isoformat() / f"{self.key}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.page_text(), encoding="utf-8")
        meta = {k: v for k, v in (("section", self.section), ("page", self.page)) if v}
        if meta:
            path.with_name(path.name + ".json").write_text(json.dumps(meta))
        return path


# The hand-made corpus. Every facet value below is counted by the tests, so changing an
# entry means changing the expected counts (they are computed from this list).
CORPUS: tuple[Spec, ...] = (
    Spec("bombers", D(2017, 11, 4), "Russian bombers strike",
         ("Russian long-range bombers struck targets near Albu Kamal in Syria, citing "
          "Russia’s Defence Ministry.",
          "The bomber crews returned to their base after the raid."),
         "MOSCOW, Nov 4, (Agencies):", section="World", page=12),
    Spec("council", D(2017, 11, 5), "Cabinet approves new budget",
         ("The president of the council said the budget would be cut by ten percent.",
          "Ministers agreed on the draft after a long session."),
         "KUWAIT CITY, Nov 5, (KUNA):", section="Local", page=2),
    Spec("ocr", D(2017, 11, 5), "Traffic campaign nets violators",
         ("The polise arrested twenty drivers in Hawally under a new govemment rule.",
          "Officers checked licences at every junction."),
         "KUWAIT CITY, Nov 5, (KUNA):", section="Local", page=3),
    Spec("police", D(2017, 6, 15), "Drugs seized at airport",
         ("Police seized a large quantity of drugs hidden in luggage at the airport.",),
         "KUWAIT CITY, June 15, (KUNA):", section="Local", page=4),
    Spec("cafe", D(2017, 3, 10), "Café culture thrives in Salmiya",
         ("A new Café opened on the seafront, serving coffee until midnight.",),
         section="Lifestyle", page=20),
    Spec("harbour", D(2016, 12, 1), "Harbour expansion approved",
         ("The harbour at Shuwaikh will double its capacity for container ships.",),
         "KUWAIT CITY, Dec 1, (KUNA):", section="Local", page=5),
    Spec("oil", D(2017, 11, 20), "Markets steady as crude climbs",
         ("Oil export revenues and crude prices rose on Monday as OPEC cut output.",),
         "LONDON, Nov 20, (Reuters):", section="Business", page=14),
    Spec("summit", D(2017, 11, 11), "Leaders meet in Danang",
         ("Asian leaders met for the summit as Russia’s president arrived late.",),
         "HANOI, Nov 11, (AFP) & (AP):", section="World", page=13),
    Spec("script", D(2017, 2, 2), "Hackers <script> attack ministry site",
         ("The string <script>alert(1)</script> was found on the ministry web page by "
          "hackers.",),
         "KUWAIT CITY, Feb 2, (KUNA):", section="Local", page=6),
    Spec("editorial", D(2017, 11, 5), "Time to reform the subsidies",
         ("Kuwait must reform its subsidies before the deficit grows further.",),
         byline="Ahmed Al-Jarallah", section="Opinion", page=1),
    Spec("beirut", D(2018, 1, 15), "Parliament session postponed",
         ("The parliament session was postponed to next week, the speaker said.",),
         "BEIRUT, Jan 15, (dpa):", section="World", page=12),
    # Arabic: with harakat (and tatweel), and without; alef, taa marbuta, alef maksura.
    Spec("rain", D(2017, 11, 6), "أمطارٌ غزيرةٌ في الكويت",
         ("هَطَلَتْ أمطارٌ غزيرةٌ على مناطقَ متفرقةٍ من البلادِ اليومَ.",
          "وحذّرت الأرصادُ من السيول في المـدرسة."),
         publication="Al-Rai", section="محليات", page=1),
    Spec("hospital", D(2017, 11, 7), "افتتاح مستشفى جديد",
         ("افتتح وزير الصحة مستشفى جديدا في منطقة الجهراء بحضور أحمد.",
          "وقال إن المبادرة جزء من خطة التنمية."),
         publication="Al-Rai", section="محليات", page=2),
)

BY_KEY = {spec.key: spec for spec in CORPUS}


def snippet_texts(items: list[Article]) -> Callable[[list[str]], dict[str, str]]:
    """What a store's snippet_texts gives an engine (index.pipeline.Texts), for articles
    held in a list."""
    texts = {a.id: " ".join(a.paragraphs) for a in items}
    return lambda ids: {i: texts[i] for i in ids if i in texts}


def articles(specs: tuple[Spec, ...] = CORPUS) -> list[Article]:
    return [spec.article() for spec in specs]


def write_corpus(root: Path, specs: tuple[Spec, ...] = CORPUS) -> list[Path]:
    return [spec.write(root) for spec in specs]


def facet_value(spec: Spec, facet: str) -> tuple[str, ...]:
    """The values a facet has for one test article (several for agency)."""
    values = {
        "publication": (spec.publication,), "year": (str(spec.date.year),),
        "month": (spec.date.strftime("%Y-%m"),), "place": (spec.place,) if spec.place else (),
        "agency": spec.agencies, "section": (spec.section,) if spec.section else (),
        "page": (str(spec.page),) if spec.page else (),
        "language": (spec.language,) if spec.language else (),
        "country": (spec.country,) if spec.country else (),
        "kind": (spec.kind,), "ocr": ocr_levels(spec.confidence),
    }
    return values[facet]


def expected_counts(specs, facet: str, filters: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """The facet counts a correct engine reports: every filter applies except the facet's
    own; values of one facet combine with OR, facets with AND."""
    counts: dict[str, int] = {}
    for spec in specs:
        if all(set(facet_value(spec, f)) & set(vals) for f, vals in filters.items()
               if f != facet and vals):
            for value in facet_value(spec, facet):
                counts[value] = counts.get(value, 0) + 1
    return counts


# --- a data folder built the way the CLI builds it -------------------------------------

def build_data_dir(data_dir: Path, sources: list[Path], full: bool = False,
                   engine: str | None = None) -> RebuildResult:
    """Ingest sources into <data_dir>'s store and rebuild its index (as `rebuild` does)."""
    store = Store(Path(data_dir) / STORE_NAME)
    try:
        ingest(store, sources)
        return rebuild(store, Path(data_dir) / INDEX_NAME, full=full, engine=engine)
    finally:
        store.close()


# --- generated corpus ------------------------------------------------------------------

_WORDS = ("minister government parliament council budget oil prices market exports bank "
          "investment police court judge trial school university students teachers hospital "
          "doctors health water electricity power station harbour port ships cargo airport "
          "flights airline tourism hotel football league match players coach stadium fans "
          "election voters candidates campaign ministry interior defence army troops border "
          "security talks agreement treaty summit leaders president emir crown prince cabinet "
          "session committee report inflation growth economy company shares profits losses "
          "workers labour expatriates residency visa traffic accident road bridge project "
          "contract tender construction housing desert weather rain storm heat summer winter "
          "festival culture museum exhibition book library newspaper journalist reporter "
          "science research technology internet phone mobile energy solar refinery crude "
          "barrels output demand supply gold currency dinar dollar euro trade deal sanctions "
          "refugees aid charity mosque prayer ramadan eid holiday schools exams results").split()
_PLACES = ("KUWAIT CITY", "LONDON", "MOSCOW", "CAIRO", "BEIRUT", "DUBAI", "RIYADH", "TEHRAN",
           "WASHINGTON", "PARIS", "BEIJING", "NEW DELHI", "ISTANBUL", "DOHA", "MANAMA")
_AGENCIES = ("KUNA", "Reuters", "AFP", "AP", "dpa", "Xinhua", "Agencies")
_SECTIONS = ("Local", "World", "Business", "Sports", "Opinion", "Lifestyle")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov",
               "Dec")
GENERATED_MARKER = "zephyrquartz"  # in every generated article: a query that finds them all


def generate_pages(root: Path, count: int, seed: int = 4, words: int = 120) -> list[Path]:
    """Write `count` seed-layout pages with varied words, dates, places, agencies and
    sections under root/<yyyy-mm-dd>/ (a sidecar gives section and page)."""
    rng = random.Random(seed)
    paths = []
    start = D(2010, 1, 1)
    for number in range(count):
        date = start + dt.timedelta(days=rng.randrange(365 * 8))
        place, agency = rng.choice(_PLACES), rng.choice(_AGENCIES)
        headline = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 8))).capitalize()
        headline += f" {number}"
        paragraphs = []
        left = words
        while left > 0:
            size = min(left, rng.randint(20, 50))
            sentence = " ".join(rng.choice(_WORDS) for _ in range(size))
            paragraphs.append(sentence.capitalize() + ".")
            left -= size
        paragraphs[-1] = paragraphs[-1][:-1] + f" {GENERATED_MARKER} item{number}."
        dateline = f"{place}, {_MONTH_ABBR[date.month - 1]} {date.day}, ({agency}):"
        text = "\n\n".join(["Arab Times", headline, "-", f"{dateline} {paragraphs[0]}",
                            *paragraphs[1:], "Newspapers in English", "Newspapers from Kuwait"])
        path = Path(root) / date.isoformat() / f"p{number}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        path.with_name(path.name + ".json").write_text(json.dumps(
            {"section": rng.choice(_SECTIONS), "page": rng.randint(1, 40)}))
        paths.append(path)
    return paths


def generated_articles(count: int, seed: int = 7, words: int = 80) -> list[Article]:
    """`count` varied Article objects (no files), for engine tests that need volume."""
    rng = random.Random(seed)
    made = []
    for number in range(count):
        date = D(2010, 1, 1) + dt.timedelta(days=rng.randrange(365 * 8))
        body = " ".join(rng.choice(_WORDS) for _ in range(words))
        headline = " ".join(rng.choice(_WORDS) for _ in range(6)).capitalize()
        agency = rng.choice(_AGENCIES)
        made.append(Article(
            id=f"gen{number:05d}", publication="Arab Times", publication_slug="arab-times",
            headline=headline, paragraphs=(body + f" {GENERATED_MARKER}.",),
            source=f"gen{number}.txt", country="Kuwait", language="English", date=date,
            section=rng.choice(_SECTIONS), page=rng.randint(1, 40),
            dateline=Dateline(text="X", place=rng.choice(_PLACES).title(),
                              agencies=(agency,))))
    return made


# --- stories printed more than once (clusters of printings) ------------------------------

_POWER = ("Kuwait signed an agreement with Japan on Sunday to build a new power station in "
          "the north of the country, the ministry of electricity and water said in a "
          "statement. The plant will produce two thousand megawatts when it opens in three "
          "years, and will burn gas piped from the offshore fields that the oil company is "
          "developing with foreign partners.",
          "Officials said the contract was the largest the ministry had signed this year, "
          "and that local firms would build the roads and the housing for the workers.")
_WATER = ("A new desalination plant on the southern coast will double the water the country "
          "can make from the sea, the public works minister said on Monday after the cabinet "
          "approved the project. Engineers expect the first of its four lines to run within "
          "two years, and the rest within five, as demand keeps rising each summer.",
          "The minister said the plant would use solar panels for part of its power.")
_FLOODS = ("Heavy rain flooded streets in several districts on Tuesday, and the interior "
           "ministry urged drivers to stay at home until the water pumps had cleared the "
           "main roads. Schools closed early and the airport delayed a dozen flights while "
           "crews worked through the night to open the blocked tunnels under the ring road.",)
_BOOKS = ("The national library opened its new reading rooms on Monday with a collection of "
          "old newspapers, maps and photographs donated by families from across the country. "
          "Visitors can read the papers on screens, and a team of volunteers is scanning the "
          "rest of the collection so that it can be searched online next year.",)


def _edited(paragraphs: tuple[str, ...], cut: int = 0) -> tuple[str, ...]:
    """A reprint as papers print one: the same text, the last `cut` paragraphs dropped."""
    return paragraphs[: len(paragraphs) - cut] if cut else paragraphs


# A story printed four times (two papers, three days, three agencies, three headlines),
# one printed twice, and two printed once; dated November 2017.
REPRINTS: tuple[Spec, ...] = (
    Spec("power-kuna", D(2017, 11, 6), "Power station deal signed", _POWER,
         "KUWAIT CITY, Nov 5, (KUNA):", section="Local", page=1),
    Spec("power-afp", D(2017, 11, 6), "Japan to build Kuwait power plant", _POWER,
         "KUWAIT CITY, Nov 5, (AFP):", publication="Kuwait Times", section="Local", page=3),
    Spec("power-reuters", D(2017, 11, 7), "Power station deal signed", _edited(_POWER, 1),
         "KUWAIT CITY, Nov 6, (Reuters):", section="Business", page=14),
    Spec("power-gulf", D(2017, 11, 8), "Kuwait, Japan agree on power plant", _POWER,
         "KUWAIT CITY, Nov 6, (Agencies):", publication="Gulf News", section="World",
         page=22),
    Spec("water-at", D(2017, 11, 6), "Cabinet approves desalination plant", _WATER,
         "KUWAIT CITY, Nov 6, (KUNA):", section="Local", page=2),
    Spec("water-kt", D(2017, 11, 7), "Desalination plant to double water supply",
         _edited(_WATER, 1), "KUWAIT CITY, Nov 6, (KUNA):", publication="Kuwait Times",
         section="Local", page=4),
    Spec("floods", D(2017, 11, 7), "Rain floods streets, schools close early", _FLOODS,
         "KUWAIT CITY, Nov 7, (KUNA):", section="Local", page=1),
    Spec("library", D(2017, 11, 6), "Library opens new reading rooms", _BOOKS,
         "KUWAIT CITY, Nov 6:", section="Lifestyle", page=20),
)
REPRINT_STORIES = {"power": ("power-kuna", "power-afp", "power-reuters", "power-gulf"),
                   "water": ("water-at", "water-kt")}


def write_reprints(root: Path) -> list[Path]:
    """Write the REPRINTS pages (seed layout) under root/<yyyy-mm-dd>/."""
    return write_corpus(root, REPRINTS)


def clustered_articles(specs: tuple[Spec, ...] = REPRINTS,
                       stories: dict[str, tuple[str, ...]] = REPRINT_STORIES
                       ) -> list[Article]:
    """The REPRINTS as Article objects carrying the clusters the store would give them:
    each story's founder is its earliest printing (date, then id)."""
    by_key = {spec.key: spec for spec in specs}
    made = {spec.key: spec.article() for spec in specs}
    for keys in stories.values():
        founder = min((by_key[k] for k in keys), key=lambda s: (s.date, s.id))
        for key in keys:
            made[key] = replace(made[key], cluster_id=founder.id, cluster_size=len(keys))
    return [made[spec.key] for spec in specs]


def _hex_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def generated_clustered(count: int, share: float = 0.1, seed: int = 11,
                        words: int = 60) -> list[Article]:
    """generated_articles() with about `share` of them printings of shared stories
    (clusters of 2 to 5 printings on nearby days, with other agencies and pages, a word
    or two changed), as the store would cluster them (founder: earliest, then id). Ids
    are 12 hex digits, as the store's: the date orders break ties by them exactly."""
    rng = random.Random(seed)
    base = [replace(a, id=_hex_id(a.id)) for a in generated_articles(count, seed=seed,
                                                                       words=words)]
    made: list[Article] = []
    number = 0
    while len(made) < count:
        original = base[number]
        number += 1
        size = rng.randint(2, 5) if rng.random() < share / 3.2 else 1
        size = min(size, count - len(made))
        group = [original]
        for copy in range(1, size):
            body = original.paragraphs[0].split()
            body[rng.randrange(len(body) - 1)] = rng.choice(_WORDS)
            group.append(replace(
                original, id=_hex_id(f"{original.id}r{copy}"), paragraphs=(" ".join(body),),
                date=original.date + dt.timedelta(days=rng.randint(0, 3)),
                page=rng.randint(1, 40), headline=original.headline if rng.random() < 0.5
                else " ".join(rng.choice(_WORDS) for _ in range(5)).capitalize(),
                dateline=Dateline(text="X", place=original.place,
                                  agencies=(rng.choice(_AGENCIES),))))
        if size > 1:
            founder = min(group, key=lambda a: (a.date, a.id))
            group = [replace(a, cluster_id=founder.id, cluster_size=size) for a in group]
        made.extend(group)
    return made
