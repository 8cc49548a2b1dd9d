"""P2 staff list: adding by email (linking, inviting, duplicates, bad input), removing,
linking at registration, permissions, isolation and query counts."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent, Invitation, Membership
from centres.roles import Role
from notifications.models import OutboundEmail
from passports.models import StaffListEntry
from passports.services.staff import staff_emails_parse, staff_entries_add
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def educator(centre):
    return MembershipFactory(centre=centre, role=Role.EDUCATOR)


def _add(client, text):
    return client.post(reverse("passports:staff_add"), {"emails": text})


def test_emails_are_split_on_lines_commas_and_semicolons_and_checked():
    valid, invalid = staff_emails_parse("A@x.nhs.uk, b@x.nhs.uk\n\nnot-an-email; a@X.nhs.uk  <c@x.nhs.uk>")
    assert valid == ["a@x.nhs.uk", "b@x.nhs.uk", "c@x.nhs.uk"]
    assert invalid == ["not-an-email"]


def test_addresses_pasted_from_outlook_are_understood():
    valid, invalid = staff_emails_parse("Okafor, Grace <Grace.Okafor@nhs.net>; Raman, Priya <priya.raman@nhs.net>")
    assert valid == ["grace.okafor@nhs.net", "priya.raman@nhs.net"]
    assert invalid == []


def test_adding_links_registered_people_and_invites_the_rest(client, login_as, centre, educator, mailoutbox):
    registered = MembershipFactory(centre=centre, user=UserFactory(email="ruth.k@trust.nhs.example"))
    login_as(educator.user, centre)
    response = _add(client, "Ruth.K@trust.nhs.example\nnew.starter@trust.nhs.example")
    assert response.status_code == 302
    entries = {e.email: e for e in StaffListEntry.objects.for_centre(centre).filter(educator=educator.user)}
    assert entries["ruth.k@trust.nhs.example"].membership == registered
    assert entries["ruth.k@trust.nhs.example"].invited_at is None
    invited = entries["new.starter@trust.nhs.example"]
    assert invited.membership is None
    assert invited.invited_at is not None
    invitation = Invitation.objects.for_centre(centre).get()
    assert (invitation.email, invitation.invited_by, invitation.accepted_at) == (
        "new.starter@trust.nhs.example",
        educator.user,
        None,
    )
    email = OutboundEmail.objects.get(template="passports/emails/staff_invitation")
    assert email.to == ["new.starter@trust.nhs.example"]
    assert f"/register/{centre.code}/" in email.text_body
    assert AuditEvent.objects.filter(centre=centre, action="staff_list.added").exists()
    page = client.get(reverse("passports:staff_list")).content.decode()
    assert "Not registered" in page
    assert registered.delegate_number in page
    assert "invited to register: new.starter@trust.nhs.example" in page


def test_duplicates_and_invalid_emails_are_reported(client, login_as, centre, educator):
    login_as(educator.user, centre)
    _add(client, "one@trust.nhs.example")
    response = _add(client, "one@trust.nhs.example, two@trust.nhs.example, nonsense@, plainword")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Already on your staff list: one@trust.nhs.example" in page
    assert "Added two@trust.nhs.example" in page or "invited to register: two@trust.nhs.example" in page
    assert "nonsense@, plainword" in page
    assert StaffListEntry.objects.for_centre(centre).count() == 2


def test_empty_input_gets_a_message_not_an_error(client, login_as, centre, educator):
    login_as(educator.user, centre)
    response = _add(client, "   ")
    assert response.status_code == 400
    assert "Enter at least one email address" in response.content.decode()


def test_same_email_on_two_educators_lists_is_two_entries(centre, educator):
    other = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    staff_entries_add(centre=centre, educator=educator.user, emails_text="x@trust.nhs.example")
    staff_entries_add(centre=centre, educator=other.user, emails_text="x@trust.nhs.example")
    assert StaffListEntry.objects.for_centre(centre).filter(email="x@trust.nhs.example").count() == 2


def test_registration_later_links_the_entry_and_is_approved_at_once(client, centre, educator):
    staff_entries_add(centre=centre, educator=educator.user, emails_text="Late.Comer@trust.nhs.example")
    response = client.post(
        reverse("register", kwargs={"code": centre.code}),
        {
            "first_name": "Late",
            "last_name": "Comer",
            "email": "late.comer@TRUST.nhs.example",
            "job_group": "1",
            "has_prn": "no",
            "password1": "wards-and-whistles-2026",
            "password2": "wards-and-whistles-2026",
            "terms": "on",
        },
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="late.comer@trust.nhs.example")
    assert membership.is_approved  # C2: the email was invited
    entry = StaffListEntry.objects.for_centre(centre).get()
    assert entry.membership == membership
    assert Invitation.objects.for_centre(centre).get().accepted_at is not None


def test_bulk_upload_style_creation_links_entries_too(centre, educator):
    """Any delegate record created at the centre (centres sends `memberships_created`)."""
    from centres.services.memberships import membership_create

    staff_entries_add(centre=centre, educator=educator.user, emails_text="someone@trust.nhs.example")
    user = UserFactory(email="someone@trust.nhs.example")
    membership = membership_create(user=user, centre=centre, registration_type="centre", is_approved=True)
    assert StaffListEntry.objects.for_centre(centre).get().membership == membership


def test_registration_at_another_centre_does_not_link(centre, educator):
    from centres.services.memberships import membership_create

    staff_entries_add(centre=centre, educator=educator.user, emails_text="someone@trust.nhs.example")
    membership_create(
        user=UserFactory(email="someone@trust.nhs.example"),
        centre=CentreFactory(),
        registration_type="centre",
        is_approved=True,
    )
    assert StaffListEntry.objects.for_centre(centre).get().membership is None


def test_remove_asks_first_then_removes_and_keeps_enrolments(client, login_as, centre, educator):
    learner = MembershipFactory(centre=centre)
    enrolment = enrolment_build(centre=centre, version=framework_version_build(), learner=learner, educator=educator)
    staff_entries_add(centre=centre, educator=educator.user, emails_text=learner.user.email)
    entry = StaffListEntry.objects.for_centre(centre).get()
    login_as(educator.user, centre)
    url = reverse("passports:staff_remove", kwargs={"entry_id": entry.public_id})
    page = client.get(url).content.decode()
    assert "Remove from staff list" in page
    assert StaffListEntry.objects.filter(pk=entry.pk).exists()
    assert client.post(url).status_code == 302
    assert not StaffListEntry.objects.filter(pk=entry.pk).exists()
    enrolment.refresh_from_db()
    assert enrolment.removed_at is None
    assert AuditEvent.objects.filter(centre=centre, action="staff_list.removed").exists()


@pytest.mark.parametrize("role", [None, Role.ASSESSOR, Role.ADMINISTRATOR])
def test_only_educators_have_a_staff_list(client, login_as, centre, role):
    member = MembershipFactory(centre=centre, role=role)
    login_as(member.user, centre)
    assert client.get(reverse("passports:staff_list")).status_code == 403
    assert _add(client, "a@trust.nhs.example").status_code == 403


def test_educator_sees_only_their_own_entries(client, login_as, centre, educator):
    other = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    staff_entries_add(centre=centre, educator=other.user, emails_text="theirs@trust.nhs.example")
    entry = StaffListEntry.objects.for_centre(centre).get()
    login_as(educator.user, centre)
    assert "theirs@trust.nhs.example" not in client.get(reverse("passports:staff_list")).content.decode()
    for name in ("passports:staff_entry", "passports:staff_remove", "passports:enrolment_create"):
        assert client.get(reverse(name, kwargs={"entry_id": entry.public_id})).status_code == 404


def test_other_centres_entry_is_404(client, login_as, centre, educator):
    elsewhere = CentreFactory()
    their_educator = MembershipFactory(centre=elsewhere, role=Role.EDUCATOR)
    staff_entries_add(centre=elsewhere, educator=their_educator.user, emails_text="b@trust.nhs.example")
    entry = StaffListEntry.objects.for_centre(elsewhere).get()
    login_as(educator.user, centre)
    assert client.get(reverse("passports:staff_entry", kwargs={"entry_id": entry.public_id})).status_code == 404
    assert client.post(reverse("passports:staff_remove", kwargs={"entry_id": entry.public_id})).status_code == 404
    assert StaffListEntry.objects.filter(pk=entry.pk).exists()


def test_staff_list_is_paginated_with_a_constant_number_of_queries(
    client, login_as, centre, educator, django_assert_max_num_queries
):
    version = framework_version_build(sections=1, per_section=2)
    members = [MembershipFactory(centre=centre) for _ in range(30)]
    for member in members[:5]:
        enrolment_build(centre=centre, version=version, learner=member, educator=educator)
    emails = "\n".join([m.user.email for m in members] + [f"new{i}@trust.nhs.example" for i in range(5)])
    staff_entries_add(centre=centre, educator=educator.user, emails_text=emails)
    login_as(educator.user, centre)
    client.get(reverse("passports:staff_list"))  # warm the session and permission caches
    with django_assert_max_num_queries(12):
        first = client.get(reverse("passports:staff_list"))
    with django_assert_max_num_queries(12):
        second = client.get(reverse("passports:staff_list") + "?page=2")
    assert first.status_code == second.status_code == 200
    assert "35 people" in first.content.decode()
    assert second.content.decode().count("nhsuk-card__heading") == 10


def test_entry_page_shows_enrolments_with_progress(client, login_as, centre, educator, django_assert_max_num_queries):
    learner = MembershipFactory(centre=centre)
    version = framework_version_build(sections=2, per_section=3)
    enrolment = enrolment_build(centre=centre, version=version, learner=learner, educator=educator)
    enrolment.results.filter(proficiency__position__lte=2).update(status="confirmed")
    enrolment.results.filter(proficiency__position=3).update(status="self_assessed")
    staff_entries_add(centre=centre, educator=educator.user, emails_text=learner.user.email)
    entry = StaffListEntry.objects.for_centre(centre).get()
    login_as(educator.user, centre)
    url = reverse("passports:staff_entry", kwargs={"entry_id": entry.public_id})
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert version.framework.name in page
    assert "2 of 6" in page  # confirmed
    assert "3 of 6" in page  # self-assessed (incl. confirmed)
    assert "Enrol on a framework" in page


def test_bulk_upload_links_waiting_entries(tmp_path, centre, educator):
    from openpyxl import Workbook

    from centres.bulk.columns import COLUMNS, DELEGATES_SHEET
    from centres.bulk.reading import read_workbook
    from centres.bulk.saving import commit
    from centres.bulk.validation import validate

    staff_entries_add(centre=centre, educator=educator.user, emails_text="ada.okafor@trust.nhs.example")
    book = Workbook()
    sheet = book.active
    sheet.title = DELEGATES_SHEET
    sheet.append(COLUMNS)
    values = {"LastName": "Okafor", "FirstName": "Ada", "JobGroupID": 1, "Active": True}
    values["EmailAddress"] = "Ada.Okafor@trust.nhs.example"
    sheet.append([values.get(name, "") for name in COLUMNS])
    book.save(tmp_path / "delegates.xlsx")
    preview = validate(centre=centre, rows=read_workbook(tmp_path / "delegates.xlsx"))
    commit(centre=centre, preview=preview, uploaded_by=educator.user, file_name="delegates.xlsx")
    entry = StaffListEntry.objects.for_centre(centre).get()
    assert entry.membership == Membership.objects.for_centre(centre).get(user__email="ada.okafor@trust.nhs.example")
