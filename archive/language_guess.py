"""The language of a text the source does not name, told by its commonest short words.

Scanned pages read as plain text (and most hOCR and ALTO files) name no language; a
newspaper's running text is long and made of function words, which OCR reads well even
where it garbles names and figures. Each language below has the words that make up most of
its running text; a text is of the language whose words it uses most, when that is clear
(enough of its words, well ahead of the next language). Otherwise it stays unnamed: a
short item, a table or OCR debris is guessed at by nobody."""

from __future__ import annotations

import re

# The commonest words of running text, per language (lower case, as OCR reads them).
_WORDS = {
    "English": "the of and to in a is that for it was on with as by his at he be from this "
               "which are have had not but were they been has their an or would will",
    "German": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine "
              "als auch es an werden aus er hat daß dass sie nach bei wird wurde einer",
    "French": "de la le et les des en un une du est que il dans qui pas pour au sur par ne "
              "se plus sont avec ce cette elle nous aux été",
    "Dutch": "de het een van en in is dat op te zijn met voor niet aan er die als door "
             "wordt werd ook bij naar heeft hij",
    "Italian": "di che il la e in un per del della non una le si da con sono al lo gli ha "
               "nel alla dei delle",
    "Spanish": "de la que el en y los del se las por un para con no una su al es lo como "
               "más pero sus le ha",
    "Portuguese": "de que o a do da em um para com não uma os no se na por mais as dos como "
                  "mas foi ao ele",
    "Danish": "og i at det er en til som på de med for af den har ikke et var jeg han",
    "Swedish": "och i att det som en på är av för med till den har inte de om ett var han",
    "Finnish": "ja on ei se että hän oli ovat kun mutta myös tai sekä joka ole",
    "Polish": "i w na z się do że nie jest to o jak od po przez oraz dla ale",
    "Latin": "et in est non ad cum quod ut sed qui per ex quae de enim esse",
}
# Words of one letter are left out: OCR debris is full of them ("i", "w", "z", "o").
_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _language, _text in _WORDS.items():
    for _word in _text.split():
        if len(_word) > 1:
            _LANGUAGES[_word] = (*_LANGUAGES.get(_word, ()), _language)
MIN_HITS = 12  # words of the language a text must use at least
SHARE = 0.2  # and that share of its words at least (running text: ~40%; a list: few)
LEAD = 1.5  # times as many as the next language's
MIN_DISTINCT = 6  # different words of it: a table of prices repeats "to" and "Od." alone
_WORD = re.compile(r"[^\W\d_]{2,}(?:['’][^\W\d_]+)?")


def guess_language(text: str) -> str | None:
    """The language a text is written in, if its words say so clearly; else None."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_HITS:
        return None
    hits: dict[str, int] = {}
    distinct: dict[str, set[str]] = {}
    for word in words:
        for language in _LANGUAGES.get(word, ()):
            hits[language] = hits.get(language, 0) + 1
            distinct.setdefault(language, set()).add(word)
    if not hits:
        return None
    ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
    best, count = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0
    if count >= MIN_HITS and count >= SHARE * len(words) and count >= LEAD * runner \
            and len(distinct[best]) >= MIN_DISTINCT:
        return best
    return None
