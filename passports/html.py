"""Sanitising the HTML of framework descriptions and prerequisites (P1).

Descriptions come from spreadsheets and JSON files written elsewhere and are shown to
learners as HTML, so only simple formatting survives: paragraphs, lists, emphasis, line
breaks and links to http, https or mailto addresses. Everything else (scripts, styles,
`on*` attributes, `javascript:` URLs, images, iframes) is removed; the text inside a removed
harmless tag is kept, the content of `script` and `style` is dropped. nh3 (the Rust
`ammonia` sanitiser) does the work.
"""

import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "b", "i", "br", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(value: str | None) -> str:
    """`value` with only the allowed tags and attributes; links get rel="noopener noreferrer"."""
    if not value:
        return ""
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return cleaned.strip()
