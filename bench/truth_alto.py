"""The words of an ALTO page for the segmentation benchmark's ground truth: every String
by line and block, the span of words under every element with an ID (what METS areas
point at), tokens with hyphenated words joined, and the page rendered as plain OCR text.
Our own parsing (lxml, safe): nothing from archive.formats, whose readers are measured."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.truth import Line, Page, local, normalise, parse_xml


@dataclass
class AltoPage:
    """The words of an ALTO page in document order, with their lines and blocks."""

    words: list[tuple[str, str, str]] = field(default_factory=list)  # (content, subs type,
    #                                                                   subs content)
    hyphen_after: set[int] = field(default_factory=set)  # words a HYP element follows
    lines: list[tuple[str, str, int, int]] = field(default_factory=list)  # (line id,
    #                                                   block id, first word, end word)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # element id -> its
    #                                                   first and last word (inclusive)


def read_alto(data: bytes) -> AltoPage:
    """Every String of an ALTO file (any version or namespace), by line and block."""
    page = AltoPage()
    root = parse_xml(data)
    for line in root.iter():
        if local(line.tag) != "TextLine":
            continue
        first = len(page.words)
        for child in line:
            name = local(child.tag)
            if name == "String":
                page.words.append((child.get("CONTENT") or "", child.get("SUBS_TYPE") or "",
                                   child.get("SUBS_CONTENT") or ""))
                _widen(page.spans, child, len(page.words) - 1)
            elif name == "HYP" and len(page.words) > first:
                page.hyphen_after.add(len(page.words) - 1)
        block = next((a.get("ID") or "" for a in line.iterancestors()
                      if local(a.tag) == "TextBlock"), "")
        page.lines.append((line.get("ID") or f"line{len(page.lines) + 1}", block, first,
                           len(page.words)))
    return page


def _widen(spans: dict[str, tuple[int, int]], string, index: int) -> None:
    """The word at index lies inside the String and each of its ancestors with an ID."""
    element = string
    while element is not None:
        key = element.get("ID")
        if key:
            low, _ = spans.get(key, (index, index))
            spans[key] = (low, index)
        element = element.getparent()


def page_lines(page: AltoPage, labels: list[str]) -> tuple[Line, ...]:
    """The page's lines with tokens and labels: a hyphenated word (SUBS_TYPE HypPart1 /
    HypPart2 with SUBS_CONTENT) is one token, on the line of its first part."""
    lines = []
    for line_id, block, first, end in page.lines:
        words, tokens, line_labels = [], [], []
        for i in range(first, end):
            content, subs_type, subs = page.words[i]
            words.append(content + ("-" if i in page.hyphen_after
                                    and not content.endswith("-") else ""))
            if subs_type == "HypPart2" and subs and i > 0 \
                    and page.words[i - 1][1] == "HypPart1" and page.words[i - 1][2]:
                continue  # counted with its first part
            token = normalise(subs if subs_type == "HypPart1" and subs else content)
            if token:
                tokens.append(token)
                line_labels.append(labels[i])
        lines.append(Line(line_id, block, " ".join(w for w in words if w), tuple(tokens),
                          tuple(line_labels)))
    return tuple(lines)


def render_text(page: Page, blocks: bool = True) -> str:
    """The page as plain OCR text: blocks in ALTO order, one line per TextLine, a blank
    line between blocks (blocks=False: none, as Chronicling America's ocr.txt has it)."""
    out: list[str] = []
    previous = None
    for line in page.lines:
        if not line.text:
            continue
        if blocks and previous is not None and line.block != previous:
            out.append("")
        out.append(line.text)
        previous = line.block
    return "\n".join(out) + "\n"
