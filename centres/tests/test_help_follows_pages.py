"""Issue 12 finding 10: /help/ said bulk upload, confirmation, staff lists, enrolment and
sign-off were "coming soon" long after they were built. Each help section names the pages it
describes (URL name and the words it uses for them); these tests fail when a named page does
not exist, when the section no longer talks about it, or when a sentence calls a page that
exists "coming soon"."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils.html import strip_tags

from centres.help_sections import ALL_SECTIONS

NOT_YET = re.compile(r"coming soon|not (?:yet )?available yet|will be available", re.IGNORECASE)


def page_exists(url_name: str) -> bool:
    """Whether a URL pattern of this name exists (with or without arguments)."""
    try:
        reverse(url_name)
        return True
    except NoReverseMatch:
        pass
    *namespaces, name = url_name.split(":")
    resolver = get_resolver()
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return name in resolver.reverse_dict


def section_text(section) -> str:
    return " ".join(strip_tags(render_to_string(section.template)).split())


def sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+", text) if part.strip()]


TOPICS = [(section, url_name, words) for section in ALL_SECTIONS for url_name, words in section.topics]


def _id(topic) -> str:
    section, url_name, words = topic
    return f"{section.slug}-{url_name}-{words}"


@pytest.mark.parametrize("topic", TOPICS, ids=[_id(topic) for topic in TOPICS])
def test_every_page_a_help_section_names_exists_and_is_described(topic):
    section, url_name, words = topic
    assert page_exists(url_name), f"help section {section.slug} names {url_name}, which is not a page"
    assert words.lower() in section_text(section).lower(), f"{section.slug} no longer mentions {words!r}"


@pytest.mark.parametrize("section", ALL_SECTIONS, ids=[section.slug for section in ALL_SECTIONS])
def test_help_never_calls_a_built_page_coming_soon(section):
    built = [words.lower() for url_name, words in section.topics if page_exists(url_name)]
    for sentence in sentences(section_text(section)):
        if NOT_YET.search(sentence):
            named = [words for words in built if words in sentence.lower()]
            assert not named, f"{section.slug} says “{sentence}”, but {named} exists"


def test_the_check_catches_what_the_old_help_said():
    """The old administrator and educator help, judged by the same rule."""
    old = "Uploading delegates from a spreadsheet is coming soon. Staff lists, enrolment and sign-off are coming soon."
    by_slug = {section.slug: section for section in ALL_SECTIONS}
    built = [words.lower() for s in ("administrator", "educator") for _u, words in by_slug[s].topics]
    flagged = [s for s in sentences(old) if NOT_YET.search(s) and any(words in s.lower() for words in built)]
    assert len(flagged) == 2
