"""The language of running text the source does not name (archive.language_guess), on
paragraphs written here."""

from __future__ import annotations

import textwrap

import pytest

from archive.articles import finish
from archive.formats import Input, ocr_text
from archive.language_guess import guess_language
from archive.model import PageMeta, ReadOptions

TEXTS = {
    "English": "The council of the town met on Monday evening at the hall, and it was agreed "
               "by the members that the new bridge should be built in the spring, as the old "
               "one had been damaged by the flood which came down from the hills in the "
               "winter and carried away a part of the road that leads to the mill.",
    "German": "Der Gemeinderat der Stadt hat sich am Montag im Rathaus versammelt, und es wurde "
              "von den Mitgliedern beschlossen, dass die neue Brücke im Frühjahr gebaut werden "
              "soll, weil die alte durch das Hochwasser, das im Winter von den Bergen kam, "
              "beschädigt worden ist und auch ein Teil der Straße nach der Mühle mit sich "
              "fortgerissen wurde.",
    "French": "Le conseil de la ville s'est réuni lundi soir à la mairie, et il a été décidé "
              "par les membres que le nouveau pont sera construit au printemps, parce que "
              "l'ancien a été endommagé par la crue qui est descendue des montagnes pendant "
              "l'hiver et qui a emporté une partie de la route du moulin dans la vallée.",
    "Dutch": "De gemeenteraad van de stad is op maandagavond in het raadhuis bijeengekomen, "
             "en er werd door de leden besloten dat de nieuwe brug in het voorjaar zal worden "
             "gebouwd, omdat de oude door het hoge water van de winter is beschadigd en ook "
             "een deel van de weg naar de molen met zich heeft meegenomen.",
    "Italian": "Il consiglio della città si è riunito lunedì sera nel municipio, e si è deciso "
               "dai membri che il nuovo ponte sarà costruito in primavera, perché il vecchio è "
               "stato danneggiato dalla piena che è scesa dalle montagne durante l'inverno e "
               "che ha portato via una parte della strada del mulino con gli alberi.",
    "Spanish": "El consejo de la ciudad se reunió el lunes por la noche en el ayuntamiento, y "
               "los miembros decidieron que el nuevo puente se construirá en la primavera, "
               "porque el viejo fue dañado por la crecida que bajó de las montañas durante el "
               "invierno y se llevó una parte del camino del molino con sus árboles.",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_running_text_is_of_the_language_whose_words_it_uses(language):
    assert guess_language(TEXTS[language]) == language


@pytest.mark.parametrize("text", [
    "Hay, 65s. Od. to 105s. 6d.—Straw, 40s. Od. to 45s. Od.—Clover, 100s. Od. to 126s. Od. "
    "Hay, 70s. Od. to 110s. Od.—Straw, 42s. Od. to 48s. Od.—Clover, 95s. Od. to 120s. Od.",
    "The council met on Monday.",  # too short to tell
    "ii 1I ll nn iw z o w i z o ii l1 I1 ..,, ;;; ww zz oo",  # OCR debris
])
def test_a_table_a_short_item_or_debris_is_of_no_language(text):
    assert guess_language(text) is None


def test_a_page_read_as_plain_text_takes_the_language_of_its_words():
    page = "THE NEW BRIDGE.\n" + "\n".join(textwrap.wrap(TEXTS["German"], 50)) + "\n"
    [article] = finish(ocr_text.read(Input("p.txt", page.encode()), ReadOptions()), "p.txt",
                       "0" * 64, PageMeta(), ReadOptions()).articles
    assert article.language == "German"
    named = finish(ocr_text.read(Input("p.txt", page.encode()), ReadOptions()), "p.txt",
                   "0" * 64, PageMeta(language="Luxembourgish"), ReadOptions()).articles
    assert named[0].language == "Luxembourgish"  # what the source says comes first
