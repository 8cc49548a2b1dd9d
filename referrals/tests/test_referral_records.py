"""R6: viewing and updating a referral, its History and Notes tabs; who may do what (R2);
archived records are read-only (R8); every view is audited (R11)."""

from html import unescape

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from centres.roles import Role
from referrals.forms.referral import ReferralForm
from referrals.models import ExtraQuestion, Referral, ReferralNote
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Council")
    register = register_build(centres=[north, south])
    people = {
        "referrer": register_person(centre=north, role=Role.REFERRER),
        "other_referrer": register_person(centre=north, role=Role.REFERRER),
        "admin": register_person(centre=north, role=Role.DSR_ADMIN),
        "limited_admin": register_person(centre=south, role=Role.DSR_ADMIN, limited_to=[south]),
        "reporter": register_person(centre=north, role=Role.DSR_REPORTING),
    }
    referral = ReferralFactory(
        centre=north, created_by=people["referrer"], first_name="Jamie", last_name="Rivers", risk="amber"
    )
    return {"register": register, "north": north, "south": south, "referral": referral, **people}


def detail_url(referral, name="detail"):
    return reverse(f"referrals:{name}", kwargs={"referral_id": referral.public_id})


def update_post(referral, **overrides) -> dict:
    """The update form as the browser would post it, unchanged unless overridden."""
    initial = ReferralForm.initial_for(referral)
    data = {key: value for key, value in initial.items() if key != "date_of_birth" and value is not None}
    dob = referral.date_of_birth
    data.update({"date_of_birth-day": dob.day, "date_of_birth-month": dob.month, "date_of_birth-year": dob.year})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _owner(world, who):
    return world["north"] if who in {"referrer", "other_referrer", "admin", "reporter"} else world["south"]


@pytest.mark.parametrize(
    ("who", "status", "editable"),
    [
        ("referrer", 200, True),
        ("other_referrer", 404, False),
        ("admin", 200, True),
        ("limited_admin", 404, False),
        ("reporter", 200, False),
    ],
)
def test_who_may_open_and_update(world, login_as, who, status, editable):
    client = login_as(world[who], _owner(world, who))
    for page in ("detail", "history", "notes"):
        response = client.get(detail_url(world["referral"], page))
        assert response.status_code == status
        if status == 404:
            assert "Rivers" not in response.content.decode()
    if status == 200:
        html = client.get(detail_url(world["referral"])).content.decode()
        # The record opens as a summary; "Change" links lead to the edit form (issue 16 item 8).
        assert (detail_url(world["referral"], "edit") in html) is editable
        assert "Update record" not in html
        assert "Jamie Rivers" in html
        assert AuditEvent.objects.filter(action="referral.viewed", actor=world[who]).count() == 4
        edit = client.get(detail_url(world["referral"], "edit"), follow=True).content.decode()
        assert ("Update record" in edit) is editable
    else:
        assert AuditEvent.objects.filter(action="referral.refused", actor=world[who]).count() == 3


def test_platform_staff_see_no_referral_whatever_roles_they_hold(world, login_as):
    staff = register_person(centre=world["north"], role=Role.DSR_ADMIN, user__is_staff=True)
    client = login_as(staff, world["north"])
    for page in ("detail", "history", "notes"):
        response = client.get(detail_url(world["referral"], page))
        assert response.status_code == 403
        assert "Rivers" not in response.content.decode()
    response = client.post(detail_url(world["referral"], "notes"), {"body": "Staff note"})
    assert response.status_code == 403
    assert not ReferralNote.objects.exists()


def test_creator_updates_and_history_keeps_the_version(world, login_as):
    referral = world["referral"]
    client = login_as(world["referrer"], world["north"])
    response = client.post(detail_url(referral), update_post(referral, risk="red", nhs_number=referral.nhs_number))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.risk == "red"
    assert referral.updated_by == world["referrer"]
    assert referral.history.count() == 2
    assert AuditEvent.objects.filter(action="referral.updated", target_id=str(referral.public_id)).count() == 1
    html = unescape(client.get(detail_url(referral, "history")).content.decode())
    assert "History (1)" in html
    assert "Risk level" in html
    assert "Amber" in html
    assert "Red" in html


def test_administrator_updates_and_updated_by_is_set(world, login_as):
    referral = world["referral"]
    response = login_as(world["admin"], world["north"]).post(
        detail_url(referral), update_post(referral, latest_update="Moved to new placement.")
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.latest_update == "Moved to new placement."
    assert referral.updated_by == world["admin"]


def test_unchanged_post_saves_no_new_version(world, login_as):
    referral = world["referral"]
    response = login_as(world["referrer"], world["north"]).post(detail_url(referral), update_post(referral))
    assert response.status_code == 302
    assert referral.history.count() == 1


def test_reporting_user_cannot_update(world, login_as):
    referral = world["referral"]
    client = login_as(world["reporter"], world["north"])
    response = client.post(detail_url(referral), update_post(referral, risk="red"), follow=True)
    assert "You can read this referral but not change it." in unescape(response.content.decode())
    referral.refresh_from_db()
    assert referral.risk == "amber"
    assert referral.history.count() == 1
    assert AuditEvent.objects.filter(action="referral.refused", actor=world["reporter"]).count() == 1


@pytest.mark.parametrize("who", ["other_referrer", "limited_admin"])
def test_tampered_update_of_someone_elses_referral_is_404(world, login_as, who):
    referral = world["referral"]
    response = login_as(world[who], _owner(world, who)).post(detail_url(referral), update_post(referral, risk="red"))
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.risk == "amber"


def test_bad_update_is_refused_with_a_message(world, login_as):
    referral = world["referral"]
    response = login_as(world["referrer"], world["north"]).post(
        detail_url(referral), update_post(referral, **{"nhs_number": "123", "date_of_birth-month": "13"})
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "There is a problem" in html
    assert "Enter the NHS number as 10 digits" in html
    assert "Date of birth must be a real date" in html
    assert referral.history.count() == 1


def test_update_to_another_active_referrals_nhs_number_is_refused(world, login_as):
    other = ReferralFactory(centre=world["north"], created_by=world["referrer"])
    referral = world["referral"]
    response = login_as(world["referrer"], world["north"]).post(
        detail_url(referral), update_post(referral, nhs_number=other.nhs_number)
    )
    assert response.status_code == 400
    assert other.reference in response.content.decode()
    assert referral.history.count() == 1


@pytest.fixture
def archived(world):
    referral = world["referral"]
    Referral.objects.filter(pk=referral.pk).update(archived_at=timezone.now(), archived_by=world["admin"])
    referral.refresh_from_db()
    return referral


@pytest.mark.parametrize("who", ["referrer", "admin"])
def test_archived_record_is_read_only_everywhere(world, login_as, archived, who):
    client = login_as(world[who], world["north"])
    html = client.get(detail_url(archived)).content.decode()
    assert "Update record" not in html
    assert "Jamie" in html
    assert "Add note" not in client.get(detail_url(archived, "notes")).content.decode()
    response = client.post(detail_url(archived), update_post(archived, risk="red"), follow=True)
    assert "archived: it can be read but not changed" in unescape(response.content.decode())
    response = client.post(detail_url(archived, "notes"), {"body": "A sneaky note"}, follow=True)
    assert "archived: notes can no longer be added" in unescape(response.content.decode())
    archived.refresh_from_db()
    assert archived.risk == "amber"
    assert archived.history.count() == 1
    assert not ReferralNote.objects.exists()
    assert AuditEvent.objects.filter(action="referral.refused", actor=world[who]).count() == 2
    assert client.post(detail_url(archived, "history")).status_code == 405


def test_notes_newest_first_and_only_by_people_who_may_update(world, login_as):
    referral = world["referral"]
    client = login_as(world["referrer"], world["north"])
    assert client.post(detail_url(referral, "notes"), {"body": "First note"}).status_code == 302
    login_as(world["admin"], world["north"]).post(detail_url(referral, "notes"), {"body": "Second note"})
    html = login_as(world["referrer"], world["north"]).get(detail_url(referral, "notes")).content.decode()
    assert html.index("Second note") < html.index("First note")
    assert "Notes (2)" in html
    assert world["admin"].get_full_name() in html
    assert AuditEvent.objects.filter(action="referral.note_added").count() == 2
    reporter = login_as(world["reporter"], world["north"])
    assert "Add note" not in reporter.get(detail_url(referral, "notes")).content.decode()
    response = reporter.post(detail_url(referral, "notes"), {"body": "Reporter note"}, follow=True)
    assert "not add to them" in unescape(response.content.decode())
    assert ReferralNote.objects.count() == 2


def test_empty_note_is_refused(world, login_as):
    response = login_as(world["referrer"], world["north"]).post(detail_url(world["referral"], "notes"), {"body": "  "})
    assert response.status_code == 400
    assert "Enter the note" in response.content.decode()
    assert not ReferralNote.objects.exists()


def test_history_shows_labels_and_question_text(world, login_as):
    referral = world["referral"]
    question = ExtraQuestion.objects.create(
        register=world["register"], text="Has a care plan?", kind=ExtraQuestion.Kind.YES_NO_DONT_KNOW
    )
    client = login_as(world["admin"], world["north"])
    client.post(
        detail_url(referral),
        update_post(referral, ethnicity="R", **{f"extra_{question.public_id.hex}": "dont_know"}),
    )
    referral.refresh_from_db()
    assert referral.extra_answers == {str(question.public_id): "dont_know"}
    html = unescape(client.get(detail_url(referral, "history")).content.decode())
    assert "White - British" in html
    assert "Other ethnic groups - Chinese" in html
    assert "Has a care plan?" in html
    assert "Don't know" in html
    assert "Updated by " + world["admin"].get_full_name() in html
    assert "Created by " + world["referrer"].get_full_name() in html


def test_answers_to_retired_questions_are_kept_on_update(world, login_as):
    referral = world["referral"]
    retired = ExtraQuestion.objects.create(register=world["register"], text="Old question", is_active=False)
    Referral.objects.filter(pk=referral.pk).update(extra_answers={str(retired.public_id): "Old answer"})
    referral.refresh_from_db()
    login_as(world["referrer"], world["north"]).post(detail_url(referral), update_post(referral, risk="green"))
    referral.refresh_from_db()
    assert referral.risk == "green"
    assert referral.extra_answers == {str(retired.public_id): "Old answer"}


def _versions(referral, user, count):
    for number in range(count):
        referral.latest_update = f"Update {number}"
        referral.updated_by = user
        referral._history_user = user
        referral.save()


@pytest.mark.parametrize("page", ["detail", "history", "notes"])
def test_query_count_does_not_grow(world, login_as, django_assert_num_queries, page):
    referral = world["referral"]
    client = login_as(world["admin"], world["north"])
    _versions(referral, world["admin"], 2)
    ReferralNote.objects.create(centre=referral.centre, referral=referral, author=world["admin"], body="n")
    client.get(detail_url(referral, page))  # warm up (session, content types)
    with django_assert_num_queries(0) as few:
        pass
    del few
    import django.db

    with CaptureQueriesContext(django.db.connection) as small:
        assert client.get(detail_url(referral, page)).status_code == 200
    _versions(referral, world["admin"], 28)
    for number in range(28):
        ReferralNote.objects.create(
            centre=referral.centre, referral=referral, author=world["referrer"], body=f"{number}"
        )
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(detail_url(referral, page)).status_code == 200


def test_read_only_summary_shows_answers_by_label(world, login_as):
    referral = world["referral"]
    review = ExtraQuestion.objects.create(register=world["register"], text="Last review", kind=ExtraQuestion.Kind.DATE)
    retired = ExtraQuestion.objects.create(register=world["register"], text="Old question", is_active=False)
    Referral.objects.filter(pk=referral.pk).update(
        extra_answers={str(review.public_id): "2026-09-02", str(retired.public_id): "Kept answer"}
    )
    html = unescape(login_as(world["reporter"], world["north"]).get(detail_url(referral)).content.decode())
    assert "Update record" not in html
    assert "You can read this referral but not change it." in html
    assert "Amber" in html
    assert "White - British" in html
    assert "2 September 2026" in html
    assert "Old question" in html
    assert "Kept answer" in html
    number = referral.nhs_number
    assert f"{number[:3]} {number[3:6]} {number[6:]}" in html
