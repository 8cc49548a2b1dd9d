"""P4/P6 learner pages: only the learner sees their passport; constant queries for 670 items;
self-assessment with "Save and continue"; requesting, resending and withdrawing confirmation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from notifications.models import OutboundEmail
from notifications.testing import subscribe
from passports.models import ConfirmationRequest, Result, ResultStatus
from passports.notifications import CONFIRMATION_REQUESTED
from passports.services.assessment import result_assess
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    return enrolment_build(centre=CentreFactory(), version=framework_version_build(sections=2, per_section=3))


def _passport(enrolment, query=""):
    return reverse("passports:learner_passport", kwargs={"enrolment_id": enrolment.public_id}) + query


def _proficiency(enrolment, position):
    return reverse("passports:learner_proficiency", kwargs={"enrolment_id": enrolment.public_id, "position": position})


def _section(enrolment, position):
    return reverse(
        "passports:learner_section", kwargs={"enrolment_id": enrolment.public_id, "section_position": position}
    )


def _requests(enrolment):
    return reverse("passports:learner_request_confirmation", kwargs={"enrolment_id": enrolment.public_id})


def _as_learner(login_as, enrolment):
    return login_as(enrolment.membership.user, enrolment.centre)


def _result(enrolment, position) -> Result:
    return enrolment.results.get(proficiency__position=position)


# -- home and navigation ---------------------------------------------------------------------


def test_home_lists_my_enrolments_with_progress(login_as, enrolment):
    result_assess(result=_result(enrolment, 1), answer="achieved", action_plan="", actor=enrolment.membership.user)
    client = _as_learner(login_as, enrolment)
    body = client.get(reverse("passports:learner_home")).content.decode()
    assert enrolment.framework.name in body
    assert _passport(enrolment) in body
    assert "<strong>0 of 6</strong> confirmed" in body
    assert "1 self-assessed" in body
    assert "5 not started" in body
    assert "My passports" in client.get("/").content.decode()  # navigation and dashboard card


def test_home_empty_state_says_what_to_do(login_as, centre):
    member = MembershipFactory(centre=centre)
    body = login_as(member.user, centre).get(reverse("passports:learner_home")).content.decode()
    assert "Your educator enrols you on a passport" in body


def test_home_does_not_list_someone_elses_enrolment(login_as, enrolment):
    other = MembershipFactory(centre=enrolment.centre)
    body = login_as(other.user, enrolment.centre).get(reverse("passports:learner_home")).content.decode()
    assert enrolment.framework.name not in body


# -- who may see a passport ------------------------------------------------------------------


def test_the_learner_sees_their_passport(login_as, enrolment):
    response = _as_learner(login_as, enrolment).get(_passport(enrolment))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Proficiency 1.1" in body
    assert "Requires self-assessment" in body
    assert "{# P8" not in body  # the sign-off placeholder is a template comment


@pytest.mark.parametrize("role", [None, Role.EDUCATOR, Role.CENTRE_MANAGER])
def test_anyone_else_at_the_centre_gets_404(login_as, enrolment, role):
    other = MembershipFactory(centre=enrolment.centre, role=role)
    client = login_as(other.user, enrolment.centre)
    for url in (_passport(enrolment), _proficiency(enrolment, 1), _requests(enrolment)):
        assert client.get(url).status_code == 404, url
    assert client.post(_proficiency(enrolment, 1), {"answer": "achieved"}).status_code == 404
    assert _result(enrolment, 1).status == "not_assessed"


def test_the_learner_at_another_centre_gets_404(login_as, enrolment):
    """The same person, with the other centre current, cannot reach this centre's enrolment."""
    elsewhere = CentreFactory()
    MembershipFactory(centre=elsewhere, user=enrolment.membership.user)
    client = login_as(enrolment.membership.user, elsewhere)
    assert client.get(_passport(enrolment)).status_code == 404
    assert client.get(_proficiency(enrolment, 1)).status_code == 404


def test_a_removed_enrolment_is_404(login_as, enrolment):
    enrolment.removed_at = timezone.now()
    enrolment.removed_by = enrolment.enrolled_by
    enrolment.save()
    assert _as_learner(login_as, enrolment).get(_passport(enrolment)).status_code == 404


def test_an_unknown_position_is_404(login_as, enrolment):
    assert _as_learner(login_as, enrolment).get(_proficiency(enrolment, 99)).status_code == 404


# -- the passport page -----------------------------------------------------------------------


def test_filters_and_search(login_as, enrolment):
    learner = enrolment.membership.user
    result_assess(result=_result(enrolment, 2), answer="achieved", action_plan="", actor=learner)
    client = _as_learner(login_as, enrolment)
    body = client.get(_passport(enrolment, "?status=self_assessed")).content.decode()
    assert "1 proficiency matches" in body
    assert "Proficiency 1.2" in body
    assert "Proficiency 1.1" not in body
    body = client.get(_passport(enrolment, "?q=task+2.3")).content.decode()
    assert "Proficiency 2.3" in body
    assert "Proficiency 2.1" not in body
    body = client.get(_passport(enrolment, "?status=nonsense&section=abc")).content.decode()
    assert "Proficiency 2.3" in body  # bad filter values are ignored, not a 500


def test_rejected_shows_the_action_plan_and_other_centre_confirmation(login_as, enrolment):
    other_centre = CentreFactory(name="Elsewhere Community Trust")
    Result.objects.filter(pk=_result(enrolment, 1).pk).update(
        status=ResultStatus.REJECTED, answer="achieved", reviewer_comment="Observe two more cannulations"
    )
    Result.objects.filter(pk=_result(enrolment, 2).pk).update(
        status=ResultStatus.CONFIRMED, answer="achieved", confirmed_at_centre=other_centre
    )
    body = _as_learner(login_as, enrolment).get(_passport(enrolment)).content.decode()
    assert "Observe two more cannulations" in body
    assert "at Elsewhere Community Trust" in body


def test_a_big_passport_lists_sections_first(login_as, centre):
    enrolment = enrolment_build(centre=centre, version=framework_version_build(sections=5, per_section=10))
    client = _as_learner(login_as, enrolment)
    body = client.get(_passport(enrolment)).content.decode()
    assert "Choose a section" in body
    assert "Proficiency 1.1" not in body
    response = client.get(_passport(enrolment, "?section=2"), follow=True)  # a section has its own page
    assert response.redirect_chain[-1][0] == _section(enrolment, 2)
    body = response.content.decode()
    assert "Proficiency 2.10" in body
    assert "Proficiency 1.1<" not in body


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_passport_queries_do_not_grow_with_the_framework(login_as, centre):
    small = enrolment_build(centre=centre, version=framework_version_build(sections=3, per_section=4))
    big = enrolment_build(centre=centre, version=framework_version_build(sections=52, per_section=13))
    for enrolment in (small, big):
        learner = enrolment.membership.user
        for position in (1, 2, 3):
            result_assess(result=_result(enrolment, position), answer="achieved", action_plan="", actor=learner)
    small_client = login_as(small.membership.user, centre)
    big_client = login_as(big.membership.user, centre, test_client=type(small_client)())
    for query in ("?status=not_assessed", "?section=1&q=Proficiency", "?q=Proficiency", ""):
        small_count = _count_queries(small_client, _passport(small, query))
        big_count = _count_queries(big_client, _passport(big, query))
        if query:
            assert small_count == big_count, query
        else:  # the small one lists every proficiency (one count query more than the section list)
            assert big_count <= small_count
    assert _count_queries(small_client, _proficiency(small, 2)) == _count_queries(big_client, _proficiency(big, 2))


# -- self-assessment -------------------------------------------------------------------------


def test_save_and_continue_goes_to_the_next_proficiency(login_as, enrolment):
    client = _as_learner(login_as, enrolment)
    response = client.post(_proficiency(enrolment, 1), {"answer": "achieved", "action_plan": "Seen", "continue": "1"})
    assert response.status_code == 302
    assert response.url == _proficiency(enrolment, 2)
    result = _result(enrolment, 1)
    assert (result.status, result.answer, result.action_plan) == ("self_assessed", "achieved", "Seen")
    response = client.post(_proficiency(enrolment, 2), {"answer": "ongoing", "save": "1"})
    assert response.url == _proficiency(enrolment, 2) + "#your-answer"  # Save: back to the answer
    body = client.get(response.url).content.decode()
    assert "Your answer (Ongoing) has been saved." in body
    assert "has been saved" not in client.get(response.url).content.decode()  # said once
    # The last one goes on to the first still needing an answer (3), not back to the passport.
    response = client.post(_proficiency(enrolment, 6), {"answer": "ongoing", "continue": "1"})
    assert response.url == _proficiency(enrolment, 3)
    response = client.post(_proficiency(enrolment, 4), {"answer": "ongoing", "continue": "1"})
    assert response.url == _proficiency(enrolment, 5)  # skips nothing answered: 5 is next
    for position in (3, 5):
        client.post(_proficiency(enrolment, position), {"answer": "achieved", "save": "1"})
    response = client.post(_proficiency(enrolment, 6), {"answer": "achieved", "continue": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == _passport(enrolment)  # nothing left to answer
    assert "Every proficiency in this passport has an answer" in response.content.decode()


def test_no_answer_shows_an_error(login_as, enrolment):
    response = _as_learner(login_as, enrolment).post(_proficiency(enrolment, 1), {"answer": "", "continue": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "Select Achieved or Ongoing" in body


def test_proficiency_page_shows_description_links_and_warning_for_confirmed(login_as, enrolment):
    Result.objects.filter(pk=_result(enrolment, 2).pk).update(status=ResultStatus.CONFIRMED, answer="achieved")
    body = _as_learner(login_as, enrolment).get(_proficiency(enrolment, 2)).content.decode()
    assert "<p>Do task 1.2 safely.</p>" in body  # sanitised HTML, shown as HTML
    assert _proficiency(enrolment, 1) in body
    assert _proficiency(enrolment, 3) in body
    assert "This proficiency is confirmed" in body


def test_locked_enrolment_is_read_only(login_as, enrolment):
    enrolment.signed_off_at = timezone.now()
    enrolment.save()
    client = _as_learner(login_as, enrolment)
    body = client.get(_proficiency(enrolment, 1)).content.decode()
    assert "signed off" in body
    assert 'name="answer"' not in body
    response = client.post(_proficiency(enrolment, 1), {"answer": "achieved", "continue": "1"}, follow=True)
    assert "cannot be changed" in response.content.decode()
    assert _result(enrolment, 1).status == "not_assessed"
    assert "Signed off" in client.get(_passport(enrolment)).content.decode()
    client.post(_requests(enrolment), {})
    assert not ConfirmationRequest.objects.exists()


# -- confirmation requests -------------------------------------------------------------------


def _assess(enrolment, answers):
    for position, answer in enumerate(answers, start=1):
        result_assess(
            result=_result(enrolment, position), answer=answer, action_plan="", actor=enrolment.membership.user
        )


def test_request_confirmation_offers_only_achieved_results(login_as, enrolment):
    _assess(enrolment, ["achieved", "ongoing"])
    body = _as_learner(login_as, enrolment).get(_requests(enrolment)).content.decode()
    assert "1. Proficiency 1.1" in body
    assert "2. Proficiency 1.2" not in body


def test_request_resend_and_withdraw_through_the_pages(login_as, enrolment):
    _assess(enrolment, ["achieved", "achieved", "ongoing"])
    educator = enrolment.supervisors.get().user
    subscribe(educator, enrolment.centre, CONFIRMATION_REQUESTED)  # their preference on
    client = _as_learner(login_as, enrolment)
    # An ongoing one cannot be ticked (not offered).
    response = client.post(_requests(enrolment), {"supervisor": str(educator.public_id), "results": ["1", "3"]})
    assert response.status_code == 400
    assert "Select only proficiencies listed here" in response.content.decode()
    response = client.post(_requests(enrolment), {"supervisor": str(educator.public_id), "results": ["1", "2"]})
    assert response.status_code == 302
    request = ConfirmationRequest.objects.get()
    assert (
        OutboundEmail.objects.filter(template="passports/emails/confirmation_request", to=[educator.email]).count() == 1
    )
    body = client.get(_requests(enrolment)).content.decode()
    assert "You can send a reminder from" in body
    assert "disabled" in body

    resend = reverse(
        "passports:learner_request_resend",
        kwargs={"enrolment_id": enrolment.public_id, "request_id": request.public_id},
    )
    body = client.post(resend, follow=True).content.decode()
    assert "You can resend this request from" in body
    ConfirmationRequest.objects.filter(pk=request.pk).update(last_sent_at=timezone.now() - timedelta(hours=2))
    body = client.post(resend, follow=True).content.decode()
    assert "sent to" in body
    assert "again" in body
    assert OutboundEmail.objects.filter(template="passports/emails/confirmation_request").count() == 2

    withdraw = reverse(
        "passports:learner_request_withdraw",
        kwargs={"enrolment_id": enrolment.public_id, "request_id": request.public_id},
    )
    body = client.get(withdraw).content.decode()
    assert "Withdraw your request to" in body
    assert "Proficiency 1.2" in body
    client.post(withdraw)
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert _result(enrolment, 1).status == "self_assessed"


def test_another_learners_request_is_404(login_as, enrolment):
    _assess(enrolment, ["achieved"])
    client = _as_learner(login_as, enrolment)
    client.post(_requests(enrolment), {"supervisor": str(enrolment.supervisors.get().user.public_id), "results": ["1"]})
    request = ConfirmationRequest.objects.get()
    other = enrolment_build(centre=enrolment.centre, version=enrolment.version)
    other_client = login_as(other.membership.user, enrolment.centre)
    for name in ("learner_request_withdraw", "learner_request_resend"):
        # Their own enrolment id with my request id, and my enrolment id.
        for enrolment_id in (other.public_id, enrolment.public_id):
            url = reverse(f"passports:{name}", kwargs={"enrolment_id": enrolment_id, "request_id": request.public_id})
            assert other_client.post(url).status_code == 404
    request.refresh_from_db()
    assert request.status == "open"


def test_a_result_waiting_for_confirmation_says_so_as_text_not_markup(login_as, enrolment):
    """Issue 16 item 12: the learner saw `<p>Waiting for … </p>` literally (text joined to an
    escaped value escaped the whole sentence). The supervisor's name is still escaped."""
    _assess(enrolment, ["achieved"])
    educator = enrolment.supervisors.get().user
    educator.first_name = "<b>Ann</b>"
    educator.save(update_fields=["first_name"])
    client = _as_learner(login_as, enrolment)
    client.post(_requests(enrolment), {"supervisor": str(educator.public_id), "results": ["1"]})
    body = client.get(_proficiency(enrolment, 1)).content.decode()
    assert "<p>Waiting for &lt;b&gt;Ann&lt;/b&gt;" in body
    assert "&lt;p&gt;" not in body
    assert "to confirm this (asked on" in body
