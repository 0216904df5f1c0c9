"""Given names that open a byline: what tells "BY CLARENCE BAKER" (a person) from "BY
SMALL MARGIN" (a deck's phrase going on) when nothing else does (no initial, no title,
the same capitals throughout). The names most given in English-speaking countries from
the late nineteenth century on, with the short forms bylines print ("Ed", "Jas.", "Wm.");
a name not listed is not refused by it, only not confirmed."""

from __future__ import annotations

GIVEN_NAMES = frozenset("""
aaron abraham adam adolph agnes albert alberta alexander alfred alice allen alma alvin amanda
amelia amos amy andrew angela ann anna anne annie anthony archibald archie arnold arthur
august augustus barbara beatrice ben benjamin bernard bert bertha bessie betty blanche bob
carl carlos caroline carrie catherine cecil charles charlie charlotte chas chester clara
clarence claude clifford clyde cora cornelia daisy daniel david dora doris dorothy douglas
earl ed edgar edith edmund edna edward edwin effie elizabeth ella ellen elmer emil emily emma
ernest esther ethel eugene eva evelyn everett fannie fanny florence floyd francis frank
franklin fred frederick geo george georgia gertrude gilbert grace guy harold harriet harry
harvey hattie hazel helen henrietta henry herbert herman herschel homer horace howard hugh
ida irene isaac jack jacob james jane jas jennie jessie jesse joe john jonathan joseph
josephine jos julia julius kate katherine laura lawrence lee leo leon leonard leroy lester
lewis lillian lillie lloyd lottie louis louise lucy luther mabel mae maggie margaret maria
marie marion mark martha martin mary matthew maud maurice max mildred minnie morris myrtle
nancy nellie nettie norman oliver olive oscar otto patrick paul pearl percy peter philip
phillip ralph ray raymond rebecca richard robert roger roland rose roy russell ruth sadie
sam samuel sarah sidney simon sophia stanley stella stephen susan theodore thomas thos tom
victor viola violet virginia walter warren webb wilbur will willard william willie wm
""".split())


def given_name(word: str) -> bool:
    """Whether a word (any case, a stop after it) is a given name (see the module)."""
    return word.rstrip(".,").lower() in GIVEN_NAMES
