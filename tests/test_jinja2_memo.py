"""NHS.UK component markup remembered per params (config.jinja2_memo, issue 12 finding 9):
the same pages, byte for byte, with far fewer component renders."""

import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils.functional import lazy
from markupsafe import Markup

from centres.roles import Role
from config import jinja2_memo
from tests.factories import CentreFactory, MembershipFactory

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def _env():
    return engines["jinja2"].env


def _render(source, **context):
    return _env().from_string(source).render(**context)


def test_equal_params_reuse_the_markup_and_types_are_kept_apart():
    jinja2_memo.clear()
    source = '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}{{ insetText({"text": text}) }}'
    plain = _render(source, text="<b>bold</b>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in plain
    assert len(jinja2_memo._rendered) == 1
    assert _render(source, text="<b>bold</b>") == plain
    assert len(jinja2_memo._rendered) == 1  # the second call was remembered, not rendered
    # Markup with the same characters is another key: never confused with the plain string.
    markup = _render(source, text=Markup("<b>bold</b>"))
    assert "<b>bold</b>" in markup
    assert "&lt;b&gt;" not in markup
    assert len(jinja2_memo._rendered) == 2
    assert _render(source, text="<b>bold</b>") == plain


def test_a_call_with_params_it_cannot_compare_is_rendered_each_time():
    jinja2_memo.clear()
    lazy_text = lazy(lambda: "Hello", str)()
    source = '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}{{ insetText({"text": text}) }}'
    assert "Hello" in _render(source, text=lazy_text)
    assert jinja2_memo._rendered == {}


def test_the_store_is_bounded(monkeypatch):
    jinja2_memo.clear()
    monkeypatch.setattr(jinja2_memo, "MAX_ENTRIES", 3)
    source = '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}{{ insetText({"text": text}) }}'
    for number in range(10):
        assert f"text {number}" in _render(source, text=f"text {number}")
    assert len(jinja2_memo._rendered) == 3
    assert jinja2_memo._size[0] == sum(len(markup) for markup in jinja2_memo._rendered.values())


@pytest.mark.django_db
def test_pages_are_identical_with_and_without_the_memo(client, login_as, monkeypatch):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    for _ in range(3):
        MembershipFactory(centre=centre)
    MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(manager.user, centre)
    pages = [
        reverse("home"),
        reverse("centres:delegate_list"),
        reverse("centres:delegate_list") + "?q=zz",
        reverse("centres:roles"),
        reverse("centres:configuration"),
        reverse("centres:registrations"),
        reverse("help"),
    ]

    def contents():
        return [CSRF.sub(r'\1"', client.get(page).content.decode()) for page in pages]

    env = _env()
    jinja2_memo.clear()
    monkeypatch.setattr(env, "auto_reload", True)  # memo off (as with DEBUG)
    before = contents()
    monkeypatch.setattr(env, "auto_reload", False)
    first, second = contents(), contents()  # rendered and remembered, then from the memo
    assert jinja2_memo._rendered  # the memo was in use
    assert first == before
    assert second == before
