"""Language codes as sources give them (RFC 3066, ISO 639-1 and -2) -> the names the archive
shows ("fr" -> "French")."""

from __future__ import annotations

# ISO 639-1, 639-2/B and 639-2/T codes (a dash: none) and the name the archive shows, for the
# languages newspapers were printed in most.
_TABLE = """
en eng eng English|de ger deu German|fr fre fra French|nl dut nld Dutch|lb ltz ltz Luxembourgish
it ita ita Italian|es spa spa Spanish|pt por por Portuguese|ca cat cat Catalan|eu baq eus Basque
gl glg glg Galician|ar ara ara Arabic|fa per fas Persian|ur urd urd Urdu|hi hin hin Hindi
bn ben ben Bengali|ta tam tam Tamil|he heb heb Hebrew|yi yid yid Yiddish|tr tur tur Turkish
da dan dan Danish|sv swe swe Swedish|no nor nor Norwegian|nb nob nob Norwegian Bokmål
nn nno nno Norwegian Nynorsk|is ice isl Icelandic|fi fin fin Finnish|et est est Estonian
lv lav lav Latvian|lt lit lit Lithuanian|pl pol pol Polish|cs cze ces Czech|sk slo slk Slovak
sl slv slv Slovenian|hr hrv hrv Croatian|sr srp srp Serbian|bs bos bos Bosnian
mk mac mkd Macedonian|bg bul bul Bulgarian|ro rum ron Romanian|hu hun hun Hungarian
ru rus rus Russian|uk ukr ukr Ukrainian|be bel bel Belarusian|el gre ell Greek
- grc grc Ancient Greek|sq alb sqi Albanian|hy arm hye Armenian|ka geo kat Georgian
la lat lat Latin|cy wel cym Welsh|ga gle gle Irish|gd gla gla Scottish Gaelic
br bre bre Breton|fy fry fry Western Frisian|af afr afr Afrikaans|sw swa swa Swahili
zh chi zho Chinese|ja jpn jpn Japanese|ko kor kor Korean|vi vie vie Vietnamese
th tha tha Thai|id ind ind Indonesian|ms may msa Malay|tl tgl tgl Tagalog|eo epo epo Esperanto
- gmh gmh Middle High German|- frm frm Middle French|- enm enm Middle English
"""
LANGUAGES = {code: name for row in _TABLE.replace("\n", "|").split("|") if row.strip()
             for *codes, name in [row.split(" ", 3)] for code in codes if code != "-"}


def language_name(code: str | None) -> str | None:
    """ "en" / "eng" -> "English"; an unknown code is kept as given."""
    if not code or not code.strip():
        return None
    code = code.strip()
    return LANGUAGES.get(code.lower().split("-")[0], code)
