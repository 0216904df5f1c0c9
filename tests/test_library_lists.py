"""How the site lists what an archive holds when its sources say little: the articles no
paper is named for come last among the publications, a block with nothing to list says
so, and one section printed in two spellings is one value of the section facet."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import served
from web_helpers import soup

from archive.furniture import section_name

STORY = ("{headline}\n\nBy A. Writer\n\nThe committee met on Monday and agreed on the plan "
         "for the harbour, which the town has waited for since the spring.\n")


def _pages(folder: Path) -> Path:
    """Three articles that name no paper, one the Arab Times printed; sections in two
    spellings."""
    folder.mkdir()
    for n, (section, headline) in enumerate([("A LA CHAMBRE", "Harbour plan agreed"),
                                             ("A la Chambre", "Budget vote delayed"),
                                             (None, "Ferry timetable changed")]):
        page = folder / f"story{n}.txt"
        page.write_text(STORY.format(headline=headline), encoding="utf-8")
        if section:
            (folder / f"story{n}.txt.json").write_text(json.dumps({"section": section}))
    (folder / "paper.txt").write_text("Arab Times\n\n" + STORY.format(
        headline="Harbour works begin"), encoding="utf-8")
    return folder


def test_lists_of_an_archive_whose_sources_say_little(tmp_path: Path) -> None:
    with served(tmp_path / "data", _pages(tmp_path / "pages")) as client:
        names = [p["name"] for p in client.get("/index.json").get_json()["publications"]]
        assert names == ["Arab Times", "Unknown publication"]  # 1 article, then 3
        home = soup(client.get("/"))
        agencies = home.select_one("#agencies-title").parent
        assert agencies.select_one(".note").get_text() == "None read in these articles."
        assert "All 0" not in agencies.get_text()
        facets = client.get("/search.json?q=committee").get_json()["facets"]
        sections = facets["section"]["values"]
        assert [(v["value"], v["count"]) for v in sections] == [("A LA CHAMBRE", 2)]


def test_a_section_name_loses_the_ornaments_around_it() -> None:
    assert section_name("• Théâtres • Musique • Concerts •") == "Théâtres • Musique • Concerts"
    assert section_name("— SPORTS. —") == "SPORTS"
    assert section_name("FEUILLETON.") == "FEUILLETON"
    assert section_name("★") is None
