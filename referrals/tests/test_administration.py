"""R3/R4 configuration by the register's administrators: the form, extra questions and
notifications; the administration home; platform staff and the Django admin."""

import uuid

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from referrals.admin import RegisterOrganisationAdminForm
from referrals.models import ExtraQuestion, Register, RegisterOrganisation
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    trust = CentreFactory(name="Alpha Trust")
    register = register_build(name="Staffs DSR", slug="staffs-dsr", centres=[trust, CentreFactory()])
    other = register_build(name="Other DSR", slug="other-dsr")
    admin = register_person(centre=trust, role=Role.DSR_ADMIN)
    return {"register": register, "trust": trust, "admin": admin, "other": other}


@pytest.fixture
def admin_client(client, login_as, world):
    return login_as(world["admin"], world["trust"])


FORM = {
    "form_name": "Add someone to the DSR",
    "introduction": "Our register.",
    "form_guidance": "Read this first.",
    "consent_link": "https://www.trust.nhs.uk/consent",
    "consent_guidance": "Ask first.",
    "refuse_without_consent": "no",
    "localities": "  North  \n\nSouth\nnorth\n South ",
}


def test_home_summarises_each_setting(admin_client, world):
    ExtraQuestion.objects.create(register=world["register"], text="Housing officer?", position=1)
    ExtraQuestion.objects.create(register=world["register"], text="Old question", is_active=False)
    response = admin_client.get(reverse("referrals:administration"))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "New referral",  # the form name
        "Referrals are refused",
        "2 localities",
        "Housing officer?",
        "Retired",
        "1 question added",
        "The team inbox (dsr.team@inbox.nhs.example)",
        "reference only",
        reverse("referrals:users"),
        reverse("referrals:audit"),
    ):
        assert expected in text, expected


def test_form_settings_are_saved_trimmed_and_deduplicated(admin_client, world):
    assert admin_client.get(reverse("referrals:form_settings")).status_code == 200
    response = admin_client.post(reverse("referrals:form_settings"), FORM)
    assert response.status_code == 302
    register = Register.objects.get(pk=world["register"].pk)
    assert register.form_name == "Add someone to the DSR"
    assert register.localities == ["North", "South"]
    assert register.refuse_without_consent is False
    assert register.consent_link == "https://www.trust.nhs.uk/consent"
    event = AuditEvent.objects.get(action="register.configured")
    assert (event.actor, event.centre) == (world["admin"], world["trust"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"localities": " \n \n"}, "Enter at least one locality"),
        ({"localities": "x" * 101}, "Each locality must be 100 characters or fewer"),
        ({"form_name": ""}, "Enter the form"),
        ({"consent_link": "javascript:alert(1)"}, "Enter the consent form"),
        ({"refuse_without_consent": "maybe"}, "Choose yes if referrals without consent are refused"),
    ],
)
def test_bad_form_settings_are_explained_and_nothing_changes(admin_client, world, change, message):
    response = admin_client.post(reverse("referrals:form_settings"), {**FORM, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert Register.objects.get(pk=world["register"].pk).form_name == "New referral"
    assert not AuditEvent.objects.filter(action="register.configured").exists()


QUESTION = {
    "text": "Who is the housing officer?",
    "hint": "Name and team",
    "kind": "choice",
    "options": "Council\nHousing association\ncouncil\n",
    "is_mandatory": "yes",
    "position": "2",
}


def test_add_and_change_an_extra_question(admin_client, world):
    assert admin_client.get(reverse("referrals:question_create")).status_code == 200
    assert admin_client.post(reverse("referrals:question_create"), QUESTION).status_code == 302
    question = ExtraQuestion.objects.get(register=world["register"])
    assert question.options == ["Council", "Housing association"]
    assert question.is_mandatory
    assert question.is_active
    url = reverse("referrals:question_edit", kwargs={"question_id": question.public_id})
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {**QUESTION, "kind": "text", "is_active": "no", "is_mandatory": "no"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.options, question.is_active, question.is_mandatory) == ("text", [], False, False)
    assert ExtraQuestion.objects.filter(pk=question.pk).exists()  # retired, never deleted
    assert AuditEvent.objects.filter(action="register.configured").count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"options": "Only one"}, "Enter at least two answers"),
        ({"text": ""}, "Enter the question"),
        ({"kind": "essay"}, "Choose the kind of answer"),
        ({"position": "first"}, "Enter the position as a whole number"),
        ({"position": "0"}, "The position must be 1 or more"),
    ],
)
def test_bad_questions_are_explained_and_nothing_is_written(admin_client, world, change, message):
    response = admin_client.post(reverse("referrals:question_create"), {**QUESTION, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExtraQuestion.objects.exists()


def test_another_registers_question_is_404(admin_client, world):
    theirs = ExtraQuestion.objects.create(register=world["other"], text="Theirs?")
    for question_id in (theirs.public_id, uuid.uuid4()):
        url = reverse("referrals:question_edit", kwargs={"question_id": question_id})
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url, {**QUESTION, "is_active": "no"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    assert theirs.text == "Theirs?"


NOTIFICATIONS = {
    "team_inbox": "DSR.Team@Trust.nhs.uk",
    "recipients": ["team_inbox", "administrators", "others"],
    "other_addresses": "a@trust.nhs.uk\n\nB@trust.nhs.uk\na@trust.nhs.uk",
    "email_detail": "name",
}


def test_notification_settings_are_saved(admin_client, world):
    page = admin_client.get(reverse("referrals:notification_settings"))
    assert page.status_code == 200
    assert "patient-identifiable" in page.content.decode()
    assert admin_client.post(reverse("referrals:notification_settings"), NOTIFICATIONS).status_code == 302
    register = Register.objects.get(pk=world["register"].pk)
    assert register.team_inbox == "dsr.team@trust.nhs.uk"
    assert (register.notify_team_inbox, register.notify_submitter, register.notify_administrators) == (
        True,
        False,
        True,
    )
    assert register.notify_other_addresses == ["a@trust.nhs.uk", "b@trust.nhs.uk"]
    assert register.email_detail == Register.EmailDetail.NAME


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"other_addresses": "a@trust.nhs.uk\nnot an address"}, "“not an address” is not an email address"),
        ({"team_inbox": ""}, "Enter the team inbox, or untick"),
        ({"team_inbox": "nope"}, "Enter the team inbox in the correct format"),
        ({"other_addresses": ""}, "Enter at least one other address"),
        ({"email_detail": "everything"}, "Choose what the emails say"),
        ({"recipients": ["everyone"]}, "Choose from the list"),
    ],
)
def test_bad_notification_settings_are_explained(admin_client, world, change, message):
    response = admin_client.post(reverse("referrals:notification_settings"), {**NOTIFICATIONS, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Register.objects.get(pk=world["register"].pk).notify_other_addresses == []


def test_settings_change_only_the_administrators_own_register(admin_client, world):
    admin_client.post(reverse("referrals:form_settings"), FORM)
    assert Register.objects.get(pk=world["other"].pk).form_name == "New referral"


# -- platform staff ---------------------------------------------------------------------------------


def test_platform_staff_get_403_on_the_register_pages_even_with_a_register_role(client, login_as, world):
    # Platform staff cannot be given a register role (centres.grants); someone who held one
    # before being made platform staff is still refused.
    staff = register_person(centre=world["trust"], role=Role.DSR_ADMIN)
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    question = ExtraQuestion.objects.create(register=world["register"], text="Q?")
    referral = ReferralFactory(centre=world["trust"], created_by=world["admin"])
    login_as(staff, world["trust"])
    names = [
        ("home", {}),
        ("list", {}),
        ("create", {}),
        *(
            (name, {"referral_id": referral.public_id})
            for name in ("detail", "history", "notes", "outcomes", "archive")
        ),
        ("administration", {}),
        ("form_settings", {}),
        ("question_create", {}),
        ("question_edit", {"question_id": question.public_id}),
        ("notification_settings", {}),
        ("users", {}),
        ("user_add", {}),
        ("user_edit", {"user_id": world["admin"].public_id}),
        ("audit", {}),
        ("audit_export", {}),
    ]
    for name, kwargs in names:
        assert client.get(reverse(f"referrals:{name}", kwargs=kwargs)).status_code == 403, name


# -- the Django admin's check on allow-listed domains -----------------------------------------------


def _domains_form(world, domains, instance=None):
    centre = CentreFactory()
    return RegisterOrganisationAdminForm(
        data={"register": world["register"].pk, "centre": centre.pk, "email_domains": domains}, instance=instance
    )


def test_admin_domains_are_lower_cased(world):
    form = _domains_form(world, '["MPFT.nhs.uk", " nhs.net "]')
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email_domains"] == ["mpft.nhs.uk", "nhs.net"]


@pytest.mark.parametrize(
    ("domains", "message"),
    [
        ('["@mpft.nhs.uk"]', "without the @"),
        ('["not a domain"]', "is not a domain"),
        ('"mpft.nhs.uk"', "a list"),
    ],
)
def test_admin_refuses_bad_domains(world, domains, message):
    form = _domains_form(world, domains)
    assert not form.is_valid()
    assert message in str(form.errors)


def test_admin_refuses_a_domain_used_by_another_organisation_in_any_register(world):
    used = RegisterOrganisation.objects.filter(register=world["other"]).first().email_domains[0]
    form = _domains_form(world, f'["{used.upper()}"]')
    assert not form.is_valid()
    assert "already used" in str(form.errors)


def test_admin_allows_an_organisation_to_keep_its_own_domains(world):
    place = RegisterOrganisation.objects.for_centre(world["trust"]).get()
    form = RegisterOrganisationAdminForm(
        data={"register": world["register"].pk, "centre": world["trust"].pk, "email_domains": '["alpha.nhs.uk"]'},
        instance=place,
    )
    assert form.is_valid(), form.errors
    form.save()
    form = RegisterOrganisationAdminForm(
        data={"register": world["register"].pk, "centre": world["trust"].pk, "email_domains": '["alpha.nhs.uk"]'},
        instance=place,
    )
    assert form.is_valid(), form.errors


def test_platform_staff_can_open_the_register_admin(client, world):
    staff = UserFactory(platform_staff=True, is_superuser=True)
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get(reverse("admin:referrals_register_change", args=[world["register"].pk]))
    assert response.status_code == 200
