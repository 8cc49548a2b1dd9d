"""core.presenters (page_links, tags) and core.progress (the one progress counter)."""

import pytest
from django.core.paginator import Paginator

from core.exceptions import ServiceError
from core.forms import form_add_service_error
from core.presenters import page_links, tag, tag_classes
from core.progress import counted


def test_one_page_needs_no_links():
    assert page_links(Paginator(range(5), 10).get_page(1), "q=x") == {}


def test_page_links_keep_the_query_and_elide_the_middle():
    links = page_links(Paginator(range(100), 10).get_page(5), "q=ada")
    assert links["previous"] == {"href": "?q=ada&page=4"}
    assert links["next"] == {"href": "?q=ada&page=6"}
    numbers = [item.get("number") for item in links["items"]]
    assert numbers == [1, None, 4, 5, 6, None, 10]
    assert [item["current"] for item in links["items"] if "number" in item] == [False, False, True, False, False]


def test_page_links_without_a_query_and_with_cursors():
    page = Paginator(range(30), 10).get_page(2)
    page.previous_cursor, page.next_cursor = "abc", "def"
    links = page_links(page, "")
    assert links["previous"] == {"href": "?page=1&before=abc"}
    assert links["next"] == {"href": "?page=3&after=def"}


def test_tags():
    assert tag("Active", "green") == {"text": "Active", "classes": "nhsuk-tag--green"}
    assert tag_classes("grey") == "nhsuk-tag--grey"
    with pytest.raises(ValueError, match=r"No NHS\.UK tag colour"):
        tag("Odd", "mauve")


def test_counted_reports_progress_every_so_often_and_passes_rows_through():
    heard = []
    rows = list(counted(range(1, 8), total=7, progress=lambda done, total: heard.append((done, total)), every=3))
    assert rows == list(range(1, 8))
    assert heard == [(3, 7), (6, 7)]
    assert list(counted(["a"], total=1, progress=None)) == ["a"]


class _Form:
    def __init__(self, names):
        self.fields = dict.fromkeys(names)
        self.added = []

    def add_error(self, field, message):
        self.added.append((field, message))


def test_form_add_service_error_prefers_the_errors_field_then_the_views_guess():
    form = _Form(["name", "file"])
    form_add_service_error(form, ServiceError("Name taken", field="name"), field="file")
    form_add_service_error(form, ServiceError("Bad file"), field="file")
    form_add_service_error(form, ServiceError("Elsewhere", field="gone"))
    assert form.added == [("name", "Name taken"), ("file", "Bad file"), (None, "Elsewhere")]
