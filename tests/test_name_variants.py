"""OCR readings of a name grouped under it (archive.name_variants)."""

from __future__ import annotations

import random

from archive.name_variants import Named, fold, group


def _groups(counts: dict[str, int]) -> dict[str, tuple[str, ...]]:
    return {named.value: tuple(v for v, _ in named.variants) for named in group(counts.items())}


def test_ocr_readings_join_the_name_printed_most():
    found = group({"London": 70, "Lpndon": 1, "Iondon": 1, "T.ondon": 1, "Paris": 11,
                   "Xew York": 2, "New York": 26, "Kl Paso": 1, "El Paso": 8}.items())
    assert found[0] == Named("London", 73, (("Iondon", 1), ("Lpndon", 1), ("T.ondon", 1)))
    assert {n.value: n.count for n in found} == {"London": 73, "New York": 28, "Paris": 11,
                                                  "El Paso": 9}
    assert found[0].readings == ("London", "Iondon", "Lpndon", "T.ondon")


def test_names_of_equal_weight_stay_apart_and_a_name_never_joins_a_rarer_one():
    # one edit apart, but neither printed three times as often as the other
    assert _groups({"Austin": 2, "Austix": 1}) == {"Austin": (), "Austix": ()}
    # a frequent reading is a name of its own, even when a rarer one is near it
    assert _groups({"Paris": 1, "Parts": 5}) == {"Parts": ("Paris",)}


def test_short_names_join_only_when_they_fold_to_the_same_letters():
    assert _groups({"York": 9, "Tork": 1}) == {"York": (), "Tork": ()}
    assert _groups({"Rome": 9, "ROME": 1, "R0me": 1}) == {"Rome": ("R0me", "ROME")}


def test_long_names_may_be_two_edits_away():
    assert _groups({"Washington": 80, "I Washington": 1, "Wasbingtou": 1}) == {
        "Washington": ("I Washington", "Wasbingtou")}
    assert _groups({"Washington": 80, "Wxsbxngtxu": 1}) == {
        "Washington": (), "Wxsbxngtxu": ()}  # three edits: another name


def test_case_and_punctuation_readings_join_whatever_their_counts():
    assert _groups({"Port au Prince": 4, "Port Au Prince": 3}) == {
        "Port au Prince": ("Port Au Prince",)}


def test_the_groups_do_not_depend_on_the_order_of_the_counts():
    counts = [("London", 70), ("Lpndon", 1), ("Loudon", 1), ("Lyons", 3), ("Lyon", 2),
              ("New York", 26), ("Nlw York", 1), ("Xew York", 2), ("Kansas City", 5)]
    expected = group(counts)
    for seed in range(5):
        shuffled = counts[:]
        random.Random(seed).shuffle(shuffled)
        assert group(shuffled) == expected


def test_fold_makes_the_letters_ocr_confuses_one():
    assert fold("I.ondon") == fold("l ondon") == "london"
    assert fold("Nkvv York") == "nkwyork" and fold("Mo1ine") == fold("Moline")
