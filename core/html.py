"""Sanitising HTML that people write and others read: framework descriptions and
prerequisites (P1), eLearning text lessons (E1).

The text comes from spreadsheets, JSON files and authoring forms and is shown as HTML, so only
simple formatting survives: paragraphs, lists, emphasis, line breaks and links to http, https
or mailto addresses (`sanitise_html`); lessons may also have subheadings
(`sanitise_lesson_html`). Everything else (scripts, styles, `on*` attributes, `javascript:`
URLs, images, iframes) is removed; the text inside a removed harmless tag is kept, the content
of `script` and `style` is dropped. nh3 (the Rust `ammonia` sanitiser) does the work.
"""

import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "b", "i", "br", "a"}
LESSON_TAGS = ALLOWED_TAGS | {"h2", "h3"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(value: str | None, *, tags: set[str] = ALLOWED_TAGS) -> str:
    """`value` with only the allowed tags and attributes; links get rel="noopener noreferrer"."""
    if not value:
        return ""
    cleaned = nh3.clean(
        value,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return cleaned.strip()


def sanitise_lesson_html(value: str | None) -> str:
    """A text lesson's body: `sanitise_html` plus subheadings (h2, h3)."""
    return sanitise_html(value, tags=LESSON_TAGS)
