"""Issue 16 item 8: a referral opens as a summary (risk as a coloured tag, latest update, the
last outcome) with "Change" links to the edit form; the outcome form starts from the last
outcome; the list's names are links and a "Sort by" control works without the table headings."""

import re
from html import unescape

import pytest
from django.urls import reverse

from centres.roles import Role
from referrals.forms.referral import ReferralForm
from referrals.models import Outcome, Referral
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    trust = CentreFactory(name="North Trust")
    register_build(centres=[trust])
    referrer = register_person(centre=trust, role=Role.REFERRER)
    admin = register_person(centre=trust, role=Role.DSR_ADMIN, user__first_name="Ada", user__last_name="Admin")
    reporter = register_person(centre=trust, role=Role.DSR_REPORTING)
    referral = ReferralFactory(
        centre=trust,
        created_by=referrer,
        first_name="Jamie",
        last_name="Rivers",
        risk="red",
        latest_update="Placement breaking down.\nCrisis team visiting.",
    )
    return {"trust": trust, "referrer": referrer, "admin": admin, "reporter": reporter, "referral": referral}


def url(name, referral):
    return reverse(f"referrals:{name}", kwargs={"referral_id": referral.public_id})


def _outcome(referral, admin, **answers):
    defaults = {"cetr_requested": True, "laep_requested": False, "meeting_happened": True, "result": "avoided"}
    return Outcome.objects.create(
        centre=referral.centre,
        referral=referral,
        recorded_by=admin,
        summary_for_next_meeting="Review in a month",
        plan_from_meeting="Extra support at home",
        notes="Said at the meeting",
        **{**defaults, **answers},
    )


def test_creator_sees_a_summary_with_change_links_not_the_form(world, login_as):
    referral = world["referral"]
    html = login_as(world["referrer"], world["trust"]).get(url("detail", referral)).content.decode()
    assert "At a glance" in html
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Red</strong>' in html
    assert "Placement breaking down.<br>Crisis team visiting." in html
    assert f'href="{url("edit", referral)}#id_risk"' in html
    assert f'href="{url("edit", referral)}#id_nhs_number"' in html
    assert "<form" not in html.split("<main", 1)[1], "the record opens as a summary, not the edit form"
    # Outcomes are for the register's administrators: a referrer does not see the last outcome.
    assert "Last outcome" not in html


def test_administrator_sees_the_last_outcome(world, login_as):
    referral = world["referral"]
    client = login_as(world["admin"], world["trust"])
    assert "No outcome recorded yet" in client.get(url("detail", referral)).content.decode()
    _outcome(referral, world["admin"], result="community")
    _outcome(referral, world["admin"], result="avoided")
    html = unescape(client.get(url("detail", referral)).content.decode())
    assert "C(E)TR requested. Admission avoided with additional support" in html
    assert "by Ada Admin" in html


def test_reporting_user_gets_no_change_links_and_no_edit_form(world, login_as):
    referral = world["referral"]
    client = login_as(world["reporter"], world["trust"])
    html = client.get(url("detail", referral)).content.decode()
    assert url("edit", referral) not in html
    assert "Red" in html
    response = client.get(url("edit", referral), follow=True)
    assert "Update record" not in response.content.decode()
    assert "You can read this referral but not change it." in unescape(response.content.decode())
    before = referral.history.count()
    response = client.post(url("edit", referral), {"first_name": "Changed"})
    assert response.status_code == 302
    assert referral.history.count() == before


def test_edit_form_saves_and_returns_to_the_summary(world, login_as):
    referral = world["referral"]
    client = login_as(world["referrer"], world["trust"])
    page = client.get(url("edit", referral))
    assert page.status_code == 200
    assert "Update record" in page.content.decode()
    data = {key: value for key, value in ReferralForm.initial_for(referral).items() if value is not None}
    data.pop("date_of_birth", None)
    dob = referral.date_of_birth
    data.update({"date_of_birth-day": dob.day, "date_of_birth-month": dob.month, "date_of_birth-year": dob.year})
    response = client.post(url("edit", referral), {**data, "risk": "amber"})
    assert response["Location"] == url("detail", referral)
    assert Referral.objects.get(pk=referral.pk).risk == "amber"
    bad = client.post(url("edit", referral), {**data, "nhs_number": "123"})
    assert bad.status_code == 400
    assert "<title>Error: Change referral" in bad.content.decode()
    assert Referral.objects.get(pk=referral.pk).nhs_number == referral.nhs_number


def test_outcome_form_starts_from_the_last_outcome(world, login_as):
    referral = world["referral"]
    client = login_as(world["admin"], world["trust"])
    blank = client.get(url("outcomes", referral)).content.decode()
    assert "filled in from the last outcome" not in blank
    assert "checked" not in blank.split('name="cetr_requested"', 1)[1].split(">", 1)[0]
    _outcome(referral, world["admin"])
    html = client.get(url("outcomes", referral)).content.decode()
    assert "filled in from the last outcome" in html
    assert re.search(r'name="cetr_requested"[^>]*value="yes"[^>]*checked', html)
    assert re.search(r'name="laep_requested"[^>]*value="no"[^>]*checked', html)
    assert re.search(r'name="result"[^>]*value="avoided"[^>]*checked', html)
    assert "Extra support at home</textarea>" in html
    assert "Said at the meeting</textarea>" not in html, "the notes start empty"
    assert "Care (Education) and Treatment Review (C(E)TR)" in html
    assert "Local Area Emergency Protocol (LAEP)" in html


def test_list_names_link_to_the_record_and_sort_by_works(world, login_as):
    ReferralFactory(centre=world["trust"], created_by=world["referrer"], first_name="Amy", last_name="Zed", risk="blue")
    client = login_as(world["admin"], world["trust"])
    html = client.get(reverse("referrals:list")).content.decode()
    assert f'<a href="{url("detail", world["referral"])}" hx-boost="false">Jamie Rivers</a>' in html
    assert '<select class="nhsuk-select" id="referral-sort" name="sort"' in html
    by_risk = client.get(reverse("referrals:list"), {"sort": "risk"}).content.decode()
    assert by_risk.index("Jamie Rivers") < by_risk.index("Amy Zed")
    assert re.search(r'<option value="risk" selected', by_risk)
    least_urgent = client.get(reverse("referrals:list"), {"sort": "-risk"}).content.decode()
    assert least_urgent.index("Amy Zed") < least_urgent.index("Jamie Rivers")
