"""C10 centre configuration: permissions, each small form, registration prompts and the
confirmation step for removing a prompt that delegates have answered."""

import threading
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres import configuration
from centres.models import AuditEvent, RegistrationPrompt
from centres.roles import Role
from centres.services.errors import CentreServiceError
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

CONFIG = reverse("centres:configuration")
NOTIFY = reverse("centres:configuration_notify_email")
SUPPORT = reverse("centres:configuration_support_details")
PUBLIC = reverse("centres:configuration_public_details")
ADD = reverse("centres:prompt_add")


@pytest.fixture
def manager(centre, role_member, login_as, client):
    member = role_member(centre, Role.CENTRE_MANAGER)
    login_as(member.user, centre)
    return member


def body(response) -> str:
    return response.content.decode()


def public_form(**overrides) -> dict:
    data = {
        "show_in_directory": "yes",
        "public_telephone": "0113 243 3144",
        "public_email": "learning@leeds.nhs.example",
        "postcode": "ls9 7tf",
        "opening_hours": "Monday to Friday, 9am to 5pm",
        "web_address": "https://www.leedsth.nhs.example/education",
        "areas_covered": "Leeds\nWakefield",
        "training_venues": "St James's University Hospital",
    }
    data.update(overrides)
    return data


def add_prompt(client, text="Which ward do you work on?", mandatory="yes", options="Ward 1\nWard 2"):
    return client.post(ADD, {"text": text, "is_mandatory": mandatory, "options": options})


# -- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, Role.ASSESSOR, Role.EDUCATOR], ids=["learner", "assessor", "educator"])
@pytest.mark.parametrize("url", [CONFIG, NOTIFY, SUPPORT, PUBLIC, ADD])
def test_people_without_configure_centre_get_403(centre, role_member, login_as, client, role, url):
    login_as(role_member(centre, role).user, centre)
    assert client.get(url).status_code == 403
    assert client.post(url, {"notify_email": "x@example.com"}).status_code == 403
    centre.refresh_from_db()
    assert centre.notify_email == ""


def test_learner_cannot_edit_or_remove_a_prompt(centre, role_member, login_as, client):
    prompt = RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward")
    login_as(role_member(centre, None).user, centre)
    assert client.get(reverse("centres:prompt_edit", kwargs={"prompt_id": prompt.public_id})).status_code == 403
    remove = reverse("centres:prompt_remove", kwargs={"prompt_id": prompt.public_id})
    assert client.post(remove, {"answers_confirmed": "0"}).status_code == 403
    assert RegistrationPrompt.objects.filter(pk=prompt.pk).exists()


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(CONFIG)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.CENTRE_MANAGER])
def test_administrators_and_centre_managers_see_the_summary_and_menu(centre, role_member, login_as, client, role):
    login_as(role_member(centre, role).user, centre)
    response = client.get(CONFIG)
    assert response.status_code == 200
    page = body(response)
    assert "<h1>Centre configuration</h1>" in page
    for href in (NOTIFY, SUPPORT, PUBLIC, ADD):
        assert f'href="{href}"' in page
    # The header menu links here for people who may configure the centre.
    assert f'href="{CONFIG}"' in body(client.get("/"))


def test_menu_hides_configuration_from_learners(centre, role_member, login_as, client):
    login_as(role_member(centre, None).user, centre)
    assert f'href="{CONFIG}"' not in body(client.get("/"))


def test_summary_never_offers_ip_prefix_editing(manager, client, centre):
    centre.ip_prefixes = ["10.160."]
    centre.save()
    page = body(client.get(CONFIG))
    assert "ip_prefixes" not in page
    assert "platform team" in page
    response = client.post(PUBLIC, public_form(ip_prefixes="1.2.3."))
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.ip_prefixes == ["10.160."]


# -- notify email ----------------------------------------------------------------------------


def test_notify_email_saved_audited_and_shown(manager, client, centre):
    response = client.post(NOTIFY, {"notify_email": "  approvals@leeds.nhs.example "})
    assert response.status_code == 302
    assert response["Location"] == CONFIG
    centre.refresh_from_db()
    assert centre.notify_email == "approvals@leeds.nhs.example"
    event = AuditEvent.objects.get(action="centre.notify_email_changed")
    assert event.centre == centre
    assert event.actor == manager.user
    assert "approvals@leeds.nhs.example" in event.summary
    page = body(client.get(CONFIG))
    assert "Notify email address saved" in page
    assert "approvals@leeds.nhs.example" in page


def test_invalid_notify_email_shows_error_summary_and_changes_nothing(manager, client, centre):
    centre.notify_email = "old@leeds.nhs.example"
    centre.save()
    response = client.post(NOTIFY, {"notify_email": "not an email"})
    assert response.status_code == 400
    page = body(response)
    assert "<title>Error: Notify email address" in page
    assert "There is a problem" in page
    assert "Enter an email address in the correct format, like learning@trust.nhs.uk" in page
    centre.refresh_from_db()
    assert centre.notify_email == "old@leeds.nhs.example"
    assert not AuditEvent.objects.filter(action="centre.notify_email_changed").exists()


def test_notify_email_can_be_removed(manager, client, centre):
    centre.notify_email = "old@leeds.nhs.example"
    centre.save()
    client.post(NOTIFY, {"notify_email": ""})
    centre.refresh_from_db()
    assert centre.notify_email == ""


# -- support details -------------------------------------------------------------------------


def test_support_details_are_shown_to_learners_on_their_home_page(manager, client, centre, role_member, login_as):
    details = "Learning team: learning@leeds.nhs.example\n0113 243 3144 <weekdays>"
    assert client.post(SUPPORT, {"support_details": details}).status_code == 302
    assert AuditEvent.objects.filter(action="centre.support_details_changed", centre=centre).exists()

    learner = role_member(centre, None)
    home = body(login_as(learner.user, centre).get("/"))
    assert "Help and support" in home
    assert "learning@leeds.nhs.example<br>0113 243 3144 &lt;weekdays&gt;" in home


def test_home_page_has_no_support_box_when_none_are_set(centre, role_member, login_as, client):
    learner = role_member(centre, None)
    assert "Help and support" not in body(login_as(learner.user, centre).get("/"))


def test_support_details_too_long(manager, client, centre):
    response = client.post(SUPPORT, {"support_details": "x" * 2001})
    assert response.status_code == 400
    assert "Support details must be 2000 characters or fewer" in body(response)


# -- public details --------------------------------------------------------------------------


def test_public_details_saved_normalised_and_audited(manager, client, centre):
    response = client.post(PUBLIC, public_form(web_address="www.leedsth.nhs.example"))
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.postcode == "LS9 7TF"
    assert centre.web_address == "https://www.leedsth.nhs.example"
    assert centre.public_telephone == "0113 243 3144"
    assert centre.areas_covered == "Leeds\nWakefield"
    assert centre.show_in_directory is True
    event = AuditEvent.objects.get(action="centre.public_details_changed")
    assert "postcode" in event.summary


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("public_email", "learning@", "Enter an email address in the correct format"),
        ("web_address", "not a web address", "Enter a web address in the correct format"),
        ("web_address", "javascript:alert(1)", "Enter a web address"),
        ("postcode", "LS9", "Enter a full UK postcode, like LS9 7TF"),
        ("public_telephone", "call me", "Enter a telephone number"),
        ("show_in_directory", "", "Select yes if your centre should appear in Find your centre"),
        ("opening_hours", "x" * 251, "Opening hours must be 250 characters or fewer"),
    ],
)
def test_public_details_bad_input(manager, client, centre, field, value, message):
    response = client.post(PUBLIC, public_form(**{field: value}))
    assert response.status_code == 400
    page = body(response)
    assert "<title>Error: Find your centre details" in page
    assert message in page
    centre.refresh_from_db()
    assert centre.public_email == ""  # nothing partially written
    assert not AuditEvent.objects.filter(action="centre.public_details_changed").exists()


def test_hiding_the_centre_from_the_directory(manager, client, centre):
    client.post(PUBLIC, public_form(show_in_directory="no"))
    centre.refresh_from_db()
    assert centre.show_in_directory is False


# -- registration prompts --------------------------------------------------------------------


def test_add_prompt_with_options(manager, client, centre):
    response = add_prompt(client, options=" Ward 1 \n\nWard 2\n  Outpatients  ")
    assert response.status_code == 302
    prompt = RegistrationPrompt.objects.get(centre=centre)
    assert prompt.position == 1
    assert prompt.text == "Which ward do you work on?"
    assert prompt.is_mandatory is True
    assert prompt.options == ["Ward 1", "Ward 2", "Outpatients"]
    event = AuditEvent.objects.get(action="registration_prompt.added")
    assert event.target_id == str(prompt.public_id)
    page = body(client.get(CONFIG))
    assert "Registration prompt “Which ward do you work on?” added" in page
    assert "Prompt 1: Which ward do you work on?" in page
    assert "<li>Outpatients</li>" in page


def test_free_text_optional_prompt(manager, client, centre):
    add_prompt(client, text="Your manager's name", mandatory="no", options="")
    prompt = RegistrationPrompt.objects.get(centre=centre)
    assert prompt.options == []
    assert prompt.is_mandatory is False
    assert "Delegates type their own answer" in body(client.get(CONFIG))


def test_position_is_the_first_free_one(manager, client, centre):
    for position in (1, 2, 4):
        RegistrationPrompt.objects.create(centre=centre, position=position, text=f"Prompt {position}")
    add_prompt(client, text="New one")
    assert RegistrationPrompt.objects.get(centre=centre, text="New one").position == 3


def test_a_seventh_prompt_is_refused(manager, client, centre):
    for position in range(1, 7):
        RegistrationPrompt.objects.create(centre=centre, position=position, text=f"Prompt {position}")
    page = body(client.get(CONFIG))
    assert f'href="{ADD}"' not in page
    assert "the most a centre can have" in page
    # The add page sends people back with an explanation...
    response = client.get(ADD)
    assert response.status_code == 302
    # ... and a posted 7th prompt is refused with a message in the error summary.
    response = add_prompt(client, text="Seventh")
    assert response.status_code == 400
    assert "A centre can have up to 6 registration prompts" in body(response)
    assert RegistrationPrompt.objects.for_centre(centre).count() == 6


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Enter the prompt text"),
        ({"text": "x" * 251}, "Prompt text must be 250 characters or fewer"),
        ({"is_mandatory": ""}, "Select yes if delegates must answer this prompt"),
        ({"options": "Ward 1\n" + "y" * 101}, "Each answer must be 100 characters or fewer"),
        ({"options": "Ward 1\nward 1"}, "“ward 1” is listed more than once"),
        ({"options": "\n".join(f"Ward {n}" for n in range(51))}, "Enter 50 answers or fewer. You entered 51"),
    ],
    ids=["no-text", "text-too-long", "no-mandatory", "option-too-long", "duplicate-options", "too-many-options"],
)
def test_prompt_bad_input(manager, client, centre, data, message):
    form = {"text": "Ward", "is_mandatory": "yes", "options": "Ward 1"}
    form.update(data)
    response = client.post(ADD, form)
    assert response.status_code == 400
    page = body(response)
    assert "<title>Error: Add a registration prompt" in page
    assert message in page
    assert not RegistrationPrompt.objects.filter(centre=centre).exists()


def test_edit_prompt(manager, client, centre):
    prompt = RegistrationPrompt.objects.create(centre=centre, position=2, text="Ward", options=["A"])
    url = reverse("centres:prompt_edit", kwargs={"prompt_id": prompt.public_id})
    page = body(client.get(url))
    assert 'value="Ward"' in page
    response = client.post(url, {"text": "Which ward?", "is_mandatory": "no", "options": "A\nB"})
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert (prompt.text, prompt.is_mandatory, prompt.options, prompt.position) == ("Which ward?", False, ["A", "B"], 2)
    assert AuditEvent.objects.filter(action="registration_prompt.changed", target_id=str(prompt.public_id)).exists()


def test_edit_page_says_how_many_answered(manager, client, centre):
    prompt = RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", options=["A"])
    MembershipFactory(centre=centre, answer1="A")
    page = body(client.get(reverse("centres:prompt_edit", kwargs={"prompt_id": prompt.public_id})))
    assert "1 delegate has answered this prompt" in page


def test_summary_query_count_does_not_grow_with_prompts(manager, client, centre):
    with CaptureQueriesContext(connection) as no_prompts:
        client.get(CONFIG)
    for position in range(1, 7):
        RegistrationPrompt.objects.create(centre=centre, position=position, text=f"Prompt {position}", options=["A"])
        MembershipFactory(centre=centre, **{f"answer{position}": "A"})
    with CaptureQueriesContext(connection) as six_prompts:
        page = body(client.get(CONFIG))
    assert "Prompt 6: Prompt 6" in page
    assert len(six_prompts) == len(no_prompts) <= 10


def test_edit_prompt_bad_input_keeps_the_prompt(manager, client, centre):
    prompt = RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", options=["A"])
    url = reverse("centres:prompt_edit", kwargs={"prompt_id": prompt.public_id})
    response = client.post(url, {"text": "Ward", "is_mandatory": "yes", "options": "A\na"})
    assert response.status_code == 400
    prompt.refresh_from_db()
    assert prompt.options == ["A"]


def test_malformed_unknown_and_other_centres_prompt_ids_give_404(manager, client, centre):
    other = RegistrationPrompt.objects.create(centre=CentreFactory(), position=1, text="Their ward")
    assert client.get("/centre/configuration/prompts/not-a-uuid/").status_code == 404
    for prompt_id in (uuid.uuid4(), other.public_id):
        for name in ("centres:prompt_edit", "centres:prompt_remove"):
            url = reverse(name, kwargs={"prompt_id": prompt_id})
            assert client.get(url).status_code == 404
            assert client.post(url, {"answers_confirmed": "99", "text": "x", "is_mandatory": "yes"}).status_code == 404
    other.refresh_from_db()
    assert other.text == "Their ward"


# -- removing prompts ------------------------------------------------------------------------


def test_remove_an_unanswered_prompt(manager, client, centre):
    prompt = RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward")
    url = reverse("centres:prompt_remove", kwargs={"prompt_id": prompt.public_id})
    page = body(client.get(url))
    assert "No delegates have answered this prompt" in page
    response = client.post(url, {"answers_confirmed": "0"})
    assert response.status_code == 302
    assert not RegistrationPrompt.objects.filter(pk=prompt.pk).exists()
    assert AuditEvent.objects.filter(action="registration_prompt.removed").exists()


def test_removing_an_answered_prompt_asks_for_confirmation_and_clears_answers(manager, client, centre):
    prompt = RegistrationPrompt.objects.create(centre=centre, position=3, text="Ward", options=["A", "B"])
    answered = [MembershipFactory(centre=centre, answer3="A"), MembershipFactory(centre=centre, answer3="B")]
    MembershipFactory(centre=centre, answer3="A", inactive=True)  # inactive records count too
    untouched = MembershipFactory(centre=centre, answer2="Keep me")
    elsewhere = MembershipFactory(centre=CentreFactory(), answer3="Other centre's answer")

    summary = body(client.get(CONFIG))
    assert "3 delegates have answered" in summary
    url = reverse("centres:prompt_remove", kwargs={"prompt_id": prompt.public_id})
    page = body(client.get(url))
    assert "3 delegates have answered this prompt" in page
    assert "Remove prompt and 3 answers" in page
    assert 'name="answers_confirmed" value="3"' in page
    # Nothing changes until the person confirms.
    assert RegistrationPrompt.objects.filter(pk=prompt.pk).exists()

    response = client.post(url, {"answers_confirmed": "3"})
    assert response.status_code == 302
    assert not RegistrationPrompt.objects.filter(pk=prompt.pk).exists()
    for membership in answered:
        membership.refresh_from_db()
        assert membership.answer3 == ""
    untouched.refresh_from_db()
    assert untouched.answer2 == "Keep me"
    elsewhere.refresh_from_db()
    assert elsewhere.answer3 == "Other centre's answer"
    event = AuditEvent.objects.get(action="registration_prompt.removed")
    assert event.actor == manager.user
    assert "answers cleared for 3 delegates" in event.summary
    assert "removed and 3 answers cleared" in body(client.get(CONFIG))


def test_remove_refused_when_more_delegates_answered_since_the_page_was_shown(manager, client, centre):
    prompt = RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward")
    url = reverse("centres:prompt_remove", kwargs={"prompt_id": prompt.public_id})
    MembershipFactory(centre=centre, answer1="A")
    response = client.post(url, {"answers_confirmed": "0"})  # the page showed no answers
    assert response.status_code == 409
    page = body(response)
    assert "1 delegate has answered this prompt" in page
    assert 'name="answers_confirmed" value="1"' in page
    assert RegistrationPrompt.objects.filter(pk=prompt.pk).exists()
    assert not AuditEvent.objects.filter(action="registration_prompt.removed").exists()


def test_removed_position_is_reused_with_no_old_answers(manager, client, centre):
    prompt = RegistrationPrompt.objects.create(centre=centre, position=1, text="Old")
    member = MembershipFactory(centre=centre, answer1="Old answer")
    client.post(reverse("centres:prompt_remove", kwargs={"prompt_id": prompt.public_id}), {"answers_confirmed": "1"})
    add_prompt(client, text="New")
    assert RegistrationPrompt.objects.get(centre=centre).position == 1
    member.refresh_from_db()
    assert member.answer1 == ""


# -- services directly -----------------------------------------------------------------------


def test_services_refuse_bad_values_without_writing(centre):
    member = MembershipFactory(centre=centre)
    with pytest.raises(CentreServiceError, match="correct format"):
        configuration.centre_notify_email_update(centre=centre, notify_email="nope", changed_by=member.user)
    with pytest.raises(CentreServiceError, match="Enter a web address"):
        configuration.centre_public_details_update(
            centre=centre,
            changed_by=member.user,
            **{**dict.fromkeys(configuration.PUBLIC_FIELDS, ""), "show_in_directory": True, "web_address": "ftp://x"},
        )
    with pytest.raises(CentreServiceError, match="more than once"):
        configuration.registration_prompt_add(
            centre=centre, text="Ward", is_mandatory=False, options=["A", "a"], added_by=member.user
        )
    assert not AuditEvent.objects.filter(action__startswith="centre.").exclude(action="centre.created").exists()
    assert not RegistrationPrompt.objects.filter(centre=centre).exists()


def test_prompt_answer_counts_is_one_query(centre, django_assert_num_queries):
    MembershipFactory(centre=centre, answer1="A", answer4="B")
    MembershipFactory(centre=centre, answer1="C")
    with django_assert_num_queries(1):
        counts = configuration.prompt_answer_counts(centre=centre)
    assert counts == {1: 2, 2: 0, 3: 0, 4: 1, 5: 0, 6: 0}


def test_options_clean():
    assert configuration.prompt_options_clean("  a  b \n\n c ") == ["a b", "c"]
    assert configuration.prompt_options_clean(["x"] * 0) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_never_share_a_position_or_pass_six():
    """The centre row lock makes simultaneous adds queue: 8 people adding at once get
    positions 1-6 once each and two clear refusals, never a database error."""
    centre = CentreFactory()
    actor = MembershipFactory(centre=centre).user
    added, refused, errors = [], [], []
    start = threading.Barrier(8)

    def add(number):
        try:
            start.wait()
            prompt = configuration.registration_prompt_add(
                centre=centre, text=f"Question {number}", is_mandatory=False, options=[], added_by=actor
            )
            added.append(prompt.position)
        except CentreServiceError as error:
            refused.append(str(error))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(added) == [1, 2, 3, 4, 5, 6]
    assert len(refused) == 2
    assert all("up to 6 registration prompts" in message for message in refused)
