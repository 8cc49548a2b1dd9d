"""The links between passport pages and the "What to do next" guidance (issue 5 journey):
the learner's passport links to supervisors, sign-off and the record, says what to do next
at each step, and shows the certificate code and download once signed off; the supervisor's
view of a learner links to the record."""

import pytest
from django.urls import reverse

from passports.models import Result, ResultStatus
from passports.services.signoff import signoff_decide, signoff_request
from passports.tests.test_supervisor_data import all_confirmed, request_build, results_answer, world_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(centre):
    return world_build(centre=centre)


def _url(name, enrolment, **kwargs):
    return reverse(f"passports:{name}", kwargs={"enrolment_id": enrolment.public_id, **kwargs})


def _passport_body(world, login_as, client):
    login_as(world.learner.user, world.centre)
    response = client.get(_url("learner_passport", world.enrolment))
    assert response.status_code == 200
    return response.content.decode()


def test_passport_links_to_supervisors_sign_off_and_record(world, login_as, client):
    body = _passport_body(world, login_as, client)
    for name in ("supervisor_list", "signoff", "record"):
        assert f'href="{_url(name, world.enrolment)}"' in body, name
    assert "Your supervisors" in body
    assert "Download your record" in body
    assert "10 required proficiencies still to be confirmed" in body
    assert "When you self-assess a proficiency as Achieved, you can ask a supervisor to confirm it." in body


def test_passport_says_ask_a_supervisor_after_self_assessing(world, login_as, client):
    results_answer(world.enrolment, list(world.enrolment.results.order_by("proficiency__position")[:3]))
    body = _passport_body(world, login_as, client)
    assert "Ask a supervisor to confirm proficiencies" in body
    assert "3 self-assessed as Achieved and ready to send" in body
    assert f'href="{_url("learner_request_confirmation", world.enrolment)}"' in body


def test_passport_explains_rejections_and_waiting(world, login_as, client):
    results = list(world.enrolment.results.order_by("proficiency__position"))
    request_build(world.enrolment, world.assessor.user, results[:4])
    Result.objects.filter(pk__in=[r.pk for r in results[:2]]).update(
        status=ResultStatus.REJECTED, reviewer_comment="Be observed twice"
    )
    body = _passport_body(world, login_as, client)
    assert "2 proficiencies were not confirmed" in body
    assert "?status=rejected" in body
    assert "Read the action plan" in body
    assert "your open confirmation request (1)" in body


def test_rejected_proficiency_page_says_what_to_do_next(world, login_as, client):
    result = world.enrolment.results.get(proficiency__position=1)
    results_answer(world.enrolment, [result], status=ResultStatus.REJECTED)
    Result.objects.filter(pk=result.pk).update(reviewer_comment="Complete the sharps e-learning")
    login_as(world.learner.user, world.centre)
    body = client.get(_url("learner_proficiency", world.enrolment, position=1)).content.decode()
    assert "Complete the sharps e-learning" in body
    assert "ask a supervisor to confirm it again" in body
    results_answer(world.enrolment, [world.enrolment.results.get(proficiency__position=2)])
    body = client.get(_url("learner_proficiency", world.enrolment, position=2)).content.decode()
    assert "ask a supervisor to confirm them" in body


def test_passport_offers_sign_off_when_everything_is_confirmed(world, login_as, client):
    all_confirmed(world.enrolment, world.assessor.user)
    body = _passport_body(world, login_as, client)
    assert "Every required proficiency is confirmed." in body
    assert ">Ask for sign-off</a>" in body
    signoff_request(enrolment=world.enrolment, educator=world.educator.user, actor=world.learner.user)
    body = client.get(_url("learner_passport", world.enrolment)).content.decode()
    assert f"You asked {world.educator.user.get_full_name()} to sign off your passport" in body
    assert ">Ask for sign-off</a>" not in body


def test_signed_off_passport_shows_the_certificate_code_and_download(world, login_as, client):
    all_confirmed(world.enrolment, world.assessor.user)
    sign_off = signoff_request(enrolment=world.enrolment, educator=world.educator.user, actor=world.learner.user)
    certificate = signoff_decide(sign_off=sign_off, approve=True, actor=world.educator.user)
    body = _passport_body(world, login_as, client)
    assert certificate.code in body
    assert f'href="{_url("record_certificate", world.enrolment)}"' in body
    assert "Download your certificate (PDF)" in body
    assert 'href="/verify/"' in body
    assert "What to do next" not in body
    body = client.get(_url("signoff", world.enrolment)).content.decode()
    assert f'href="{_url("record_certificate", world.enrolment)}"' in body


def test_supervisor_view_links_to_the_record(world, login_as, client):
    login_as(world.assessor.user, world.centre)
    body = client.get(_url("supervise_enrolment", world.enrolment)).content.decode()
    assert f'href="{_url("record", world.enrolment)}"' in body


def test_request_page_starts_with_everything_ready_ticked(world, login_as, client):
    results_answer(world.enrolment, list(world.enrolment.results.order_by("proficiency__position")[:3]))
    login_as(world.learner.user, world.centre)
    body = client.get(_url("learner_request_confirmation", world.enrolment)).content.decode()
    assert body.count('name="results"') == 3
    assert body.count("checked") >= 3
    assert "untick any you do not want to send now" in body
