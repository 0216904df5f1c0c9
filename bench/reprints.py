"""Generated printings of stories, for the clustering benchmark (bench/clustering.py).

Copies of a story: OCR noise (rn->m, l->1, e->c, o->0 ..., random letters, dropped and
merged words), a new headline, the last paragraph cut, another dateline and agency. Near
misses: two stories on one topic (sentences sharing a topic word, none in common), and a
story carrying one paragraph of background from another. Briefs and ads too short to cluster.
Sentences come from the shared corpora when present (bench.corpus), else are synthetic."""

from __future__ import annotations

import hashlib
import random
import time
from collections import defaultdict
from dataclasses import dataclass

from archive import minhash
from bench.corpus import AGENCIES, MONTHS, PLACES

# OCR confusions, both ways: what the eye of a 1980s OCR engine mixed up.
CONFUSIONS = (("rn", "m"), ("m", "rn"), ("l", "1"), ("e", "c"), ("c", "e"), ("o", "0"),
              ("i", "l"), ("h", "li"), ("d", "cl"), ("w", "vv"), ("I", "l"), ("S", "5"))
OCR = {"ocr": (0.03, 0.004, 0.015, 0.03), "heavy-ocr": (0.08, 0.015, 0.04, 0.06)}


@dataclass(frozen=True)
class Doc:
    """One printed appearance, with its ground truth."""

    article_id: str
    story: int  # printings of one story share it
    date: str
    headline: str
    paragraphs: tuple[str, ...]
    kind: str  # of story: "story", "near-topic", "near-background", "brief"
    variant: str  # "first" printing, or a copy's changes ("ocr+cut", "same")


def ocr(text: str, rng: random.Random, level: str = "ocr") -> str:
    """text as a poor OCR engine might read it."""
    confuse, letter, drop, merge = OCR[level]
    out: list[str] = []
    for word in text.split():
        if rng.random() < drop:
            continue
        chars, i = [], 0
        while i < len(word):
            pair = next(((a, b) for a, b in CONFUSIONS if word.startswith(a, i)), None) \
                if rng.random() < confuse else None
            if pair:
                chars.append(pair[1])
                i += len(pair[0])
                continue
            char = word[i]
            chars.append(rng.choice("abcdefghijklmnopqrstuvwxyz")
                         if char.isalpha() and rng.random() < letter else char)
            i += 1
        if out and rng.random() < merge:
            out[-1] += "".join(chars)
        else:
            out.append("".join(chars))
    return " ".join(out)


def synthetic_sentences(rng: random.Random, count: int) -> list[str]:
    """Sentences of Zipf-distributed invented words with English function words."""
    syllables = [a + b for a in "bdfghklmnprstvz" for b in "aeiou"] + ["an", "el", "or", "us"]
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
                         for _ in range(30000)})
    rng.shuffle(vocabulary)
    weights = [1 / (rank + 10) for rank in range(len(vocabulary))]
    glue = ["the", "of", "to", "and", "in", "a", "said", "on", "for", "was", "that", "with"]
    found = []
    for _ in range(count):
        words = rng.choices(vocabulary, weights, k=rng.randint(8, 28))
        words = [w if rng.random() > 0.3 else rng.choice(glue) for w in words]
        found.append(" ".join(words).capitalize() + ".")
    return found


class Generator:
    """Stories and their printings, deterministic for a seed."""

    def __init__(self, sentences: list[str], headlines: list[str], seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.pool = list(dict.fromkeys(sentences))
        self.rng.shuffle(self.pool)
        self.headlines = headlines
        self.used: set[int] = set()
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for index, sentence in enumerate(self.pool):
            for word in {w.lower().strip(".,;:\"'") for w in sentence.split()}:
                if len(word) >= 5 and word.isalpha():
                    self.by_word[word].append(index)
        self.topics = sorted(w for w, found in self.by_word.items() if 40 <= len(found) <= 3000)
        self.next_free = 0
        self.stories = 0
        self.docs: list[Doc] = []
        self.texts: dict[int, list[str]] = {}  # story -> its original paragraphs
        self.near: list[tuple[int, int, str]] = []  # stories that must stay apart, and why

    def sentence(self, within: list[int] | None = None) -> str:
        """An unused sentence (from within a topic's sentences when given)."""
        if within:
            for _ in range(20):
                index = self.rng.choice(within)
                if index not in self.used:
                    self.used.add(index)
                    return self.pool[index]
        while self.next_free in self.used:
            self.next_free += 1
        self.used.add(self.next_free)
        turn, index = divmod(self.next_free, len(self.pool))
        if not turn:
            return self.pool[index]
        # Every sentence used: the first half of one and the second of another, paired
        # anew each turn (stories must not repeat; real ones share a phrase now and then).
        head = self.pool[index].split()
        tail = self.pool[(index * 7919 + turn * 104729) % len(self.pool)].split()
        return " ".join(head[: len(head) // 2] + tail[len(tail) // 2:])

    def body(self, topic: list[int] | None = None, short: bool = False) -> list[str]:
        count = 1 if short else self.rng.choice((2, 3, 3, 4, 5, 6, 7, 8, 10, 12))
        return [" ".join(self.sentence(topic) for _ in range(self.rng.randint(1, 3)))
                for _ in range(count)]

    def generate(self, articles: int) -> list[Doc]:
        """At least `articles` printings of stories, near misses and briefs."""
        while len(self.docs) < articles:
            roll = self.rng.random()
            if roll < 0.08:
                self.brief()
            elif roll < 0.18 and self.topics:
                topic = self.by_word[self.rng.choice(self.topics)]
                self.printings(self.body(topic), "near-topic")
                self.printings(self.body(topic), "near-topic")
                self.near.append((self.stories - 2, self.stories - 1, "topic"))
            elif roll < 0.26 and self.texts:
                own = self.body()
                source = self.rng.randrange(self.stories)
                own.insert(self.rng.randrange(1, len(own) + 1),
                           self.rng.choice(self.texts[source]))
                self.printings(own, "near-background")
                self.near.append((source, self.stories - 1, "background"))
            else:
                self.printings(self.body(short=self.rng.random() < 0.1))
        return self.docs

    def brief(self) -> None:
        """A two-line brief or a one-line ad (some the first words of a stored story)."""
        words = " ".join(self.body(short=True)).split()
        if self.texts and self.rng.random() < 0.5:
            words = self.rng.choice(list(self.texts.values()))[0].split()
        text = " ".join(words[: self.rng.randint(5, minhash.MIN_WORDS - 2)])
        self.printings([text], "brief", copies=self.rng.choice((1, 1, 2, 3)))

    def printings(self, paragraphs: list[str], kind: str = "story",
                  copies: int | None = None) -> None:
        story = self.stories
        self.stories += 1
        self.texts[story] = paragraphs
        rng = self.rng
        day = 2557 + rng.randrange(17000)  # 1977 .. 2023, as days since 1970
        headline = rng.choice(self.headlines)
        dateline = self.dateline() if rng.random() < 0.6 else ""
        copies = copies or rng.choice((1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 6))
        for copy in range(copies):
            changes: list[str] = []
            body, head, line = list(paragraphs), headline, dateline
            if copy and kind != "brief":
                if rng.random() < 0.3 and len(body) >= 3:
                    body, changes = body[:-1], ["cut"]
                if rng.random() < 0.5:
                    head, changes = rng.choice(self.headlines), changes + ["headline"]
                if rng.random() < 0.6:
                    line, changes = self.dateline(), changes + ["dateline"]
                level = rng.choice(("ocr",) * 8 + ("heavy-ocr",) + (None,) * 3)
                if level:
                    body, changes = [ocr(p, rng, level) for p in body], changes + [level]
            body[0] = line + body[0]
            variant = "+".join(changes) or "same" if copy else "first"
            ident = hashlib.sha1(f"{self.seed}:{story}:{copy}".encode()).hexdigest()[:12]
            date = time.strftime("%Y-%m-%d", time.gmtime((day + rng.randint(0, 3)) * 86400))
            self.docs.append(Doc(ident, story, date, head, tuple(body), kind, variant))

    def dateline(self) -> str:
        return (f"{self.rng.choice(PLACES)}, {self.rng.choice(MONTHS)} "
                f"{self.rng.randint(1, 28)}, ({self.rng.choice(AGENCIES)}): ")


def corpus(articles: int, seed: int = 1977) -> tuple[list[Doc], list[tuple[int, int, str]]]:
    """A generated corpus of at least `articles` printings, and its near misses (pairs of
    stories that must not be clustered together, and why)."""
    from bench.corpus import sentences

    found, headlines = sentences()
    if len(found) < 5000:  # no shared corpus here: invented words
        found = synthetic_sentences(random.Random(seed), max(5000, articles * 12))
        headlines = [" ".join(s.split()[:6]) for s in found[:2000]]
    generator = Generator(found, headlines, seed)
    return generator.generate(articles), generator.near
