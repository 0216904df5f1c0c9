"""Language codes as sources give them (RFC 3066, ISO 639-1 and -2) -> the names the archive
shows ("fr" -> "French")."""

from __future__ import annotations

# Language codes (RFC 3066 / ISO 639-1 and -2) as the archive names languages.
LANGUAGES = {"en": "English", "eng": "English", "de": "German", "ger": "German",
             "deu": "German", "fr": "French", "fre": "French", "fra": "French",
             "nl": "Dutch", "dut": "Dutch", "nld": "Dutch", "lb": "Luxembourgish",
             "ltz": "Luxembourgish", "it": "Italian", "ita": "Italian", "es": "Spanish",
             "spa": "Spanish", "ar": "Arabic", "ara": "Arabic", "fa": "Persian",
             "per": "Persian", "fas": "Persian", "da": "Danish", "dan": "Danish",
             "sv": "Swedish", "swe": "Swedish", "fi": "Finnish", "fin": "Finnish",
             "pl": "Polish", "pol": "Polish", "la": "Latin", "lat": "Latin",
             "cy": "Welsh", "wel": "Welsh", "cym": "Welsh", "ga": "Irish", "gle": "Irish"}


def language_name(code: str | None) -> str | None:
    """ "en" / "eng" -> "English"; an unknown code is kept as given."""
    if not code or not code.strip():
        return None
    code = code.strip()
    return LANGUAGES.get(code.lower().split("-")[0], code)
