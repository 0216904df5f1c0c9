"""Parse XML without resolving entities, loading DTDs or fetching anything.

Every XML reader parses through here: an entity-expansion bomb stays unexpanded, an
external entity is never read, a malformed or truncated file is Rejected with the line
the parser stopped at. A document that declares its own entities is Rejected too: libxml2
leaves an entity reference out of element text but expands it inside attribute values
(where ALTO keeps its words), so its text could be neither read whole nor trusted.
Digitisation output never declares entities; saying so beats losing words silently."""

from __future__ import annotations

import re

from lxml import etree

from archive.model import Rejected

# One parser configuration for every XML form; a new parser object per call (lxml parsers
# are not safe to share between threads).
# collect_ids=False: libxml2 would index every ID attribute (ALTO gives one to every word)
# in a hash table no reader asks (they index IDs themselves): a tenth of parsing and freeing
# a page.
_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                huge_tree=False, remove_comments=True, remove_pis=True, recover=False,
                collect_ids=False)


def parse(data: bytes, what: str = "XML", blanks: bool = True) -> etree._Element:
    """The root element of an XML document; Rejected with a readable reason when the
    bytes are not well-formed XML. blanks=False drops the white space between elements
    (the indentation), for a form whose text is all in attributes (ALTO): fewer nodes
    to make and free."""
    encoding = "utf-8" if _utf8_declared_latin(data) else None
    parser = etree.XMLParser(**_OPTIONS, remove_blank_text=not blanks, encoding=encoding)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        if _external_dtd_only(parser.error_log):
            # collect_ids=False makes libxml2 try to load an external DTD a DOCTYPE names
            # (XHTML's, on the web; never fetched: no_network), and fail; parsed as the
            # default does, nothing is loaded
            return parse_checked(etree.fromstring(data, etree.XMLParser(
                **{**_OPTIONS, "collect_ids": True}, remove_blank_text=not blanks,
                encoding=encoding)), what)
        if not _prefix_undeclared_only(parser.error_log):
            line = f" at line {error.lineno}" if error.lineno else ""
            raise Rejected(f"malformed {what}{line}: {error.msg}") from error
        # Well-formed XML whose only fault is a namespace prefix used undeclared (a KB
        # DIDL's xsi:schemaLocation): read as written, the prefixed name kept whole.
        recovering = etree.XMLParser(**{**_OPTIONS, "recover": True},
                                     remove_blank_text=not blanks, encoding=encoding)
        root = etree.fromstring(data, recovering)
    return parse_checked(root, what)


def parse_checked(root: etree._Element | None, what: str) -> etree._Element:
    """A parsed root, refused when there is none or its DOCTYPE declares entities."""
    if root is None:
        raise Rejected(f"malformed {what}: no root element")
    if declared := _declared_entities(root):
        raise Rejected(f"{what} declares its own entities ({declared}) in its DOCTYPE: "
                       "entities are never expanded here; remove the declarations")
    return root


def _external_dtd_only(log) -> bool:
    """Whether every error a parse met is an external DTD that could not be loaded."""
    errors = [e for e in log if e.level >= etree.ErrorLevels.ERROR]
    return bool(errors) and all(e.message.startswith("failed to load") for e in errors)


_LATIN_DECLARATION = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["'](?:iso-?8859-1|latin-?1|"""
                                rb"""(?:windows|cp)-?1252|us-ascii)["']""", re.IGNORECASE)


def _utf8_declared_latin(data: bytes) -> bool:
    """Whether a document declares a Latin-1 (or ASCII) encoding yet is UTF-8 with letters
    beyond ASCII (a BnF export: every accent read as two characters, "SUPPLÃ\x89MENT"):
    then it is read as UTF-8. Latin-1 text beyond ASCII is almost never valid UTF-8."""
    if not _LATIN_DECLARATION.match(data, 0, 200) or data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _prefix_undeclared_only(log) -> bool:
    """Whether every error a parse met is a namespace prefix used without its declaration
    (the document is well-formed XML all the same)."""
    errors = [e for e in log if e.level >= etree.ErrorLevels.ERROR]
    return bool(errors) and all(
        e.domain == etree.ErrorDomains.NAMESPACE
        and e.type == etree.ErrorTypes.NS_ERR_UNDEFINED_NAMESPACE for e in errors)


def _declared_entities(root: etree._Element) -> str:
    """The names of the entities the document's internal DTD subset declares, if any."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return ""
    names = [entity.name for entity in dtd.iterentities()]
    return ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")


def local(tag: object) -> str:
    """An element's name without its namespace ("{http://...}String" -> "String");
    comments and processing instructions have none."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
