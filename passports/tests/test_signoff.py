"""P8: asking for sign-off, signing off or declining, certificates, reopening."""

import re

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from notifications.models import OutboundEmail
from notifications.testing import subscribe
from passports.models import Certificate, Enrolment, Proficiency, Result, ResultStatus, SignOff
from passports.notifications import SIGN_OFF_REQUESTED
from passports.services.errors import PassportError
from passports.services.signoff import (
    enrolment_reopen,
    signoff_decide,
    signoff_request,
)
from passports.tests.test_supervisor_data import all_confirmed, world_build
from reporting.certificates import CODE_ALPHABET, certificate_code_generate
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[2-9A-HJ-NP-Z]{4}$")


@pytest.fixture
def world(centre):
    return world_build(centre=centre)


@pytest.fixture
def ready(world):
    all_confirmed(world.enrolment, world.assessor.user)
    return world


def _request(world, **kwargs):
    return signoff_request(enrolment=world.enrolment, educator=world.educator.user, actor=world.learner.user, **kwargs)


def _signed_off(world):
    sign_off = _request(world)
    signoff_decide(sign_off=sign_off, approve=True, actor=world.educator.user)
    return sign_off


# -- certificate codes -----------------------------------------------------------------------


def test_certificate_codes_are_unambiguous():
    assert not set("01OIL") & set(CODE_ALPHABET)
    codes = {certificate_code_generate() for _ in range(500)}
    assert len(codes) == 500
    assert all(CODE.match(code) for code in codes)


# -- request ---------------------------------------------------------------------------------------


def test_request_needs_every_required_proficiency_confirmed(world):
    with pytest.raises(PassportError, match="10 required proficiencies are not confirmed"):
        _request(world)
    all_confirmed(world.enrolment, world.assessor.user)
    Result.objects.filter(enrolment=world.enrolment, proficiency__position__in=[1, 2]).update(
        status=ResultStatus.SELF_ASSESSED
    )
    with pytest.raises(PassportError, match="2 required proficiencies"):
        _request(world)
    # Optional proficiencies do not count.
    Proficiency.objects.filter(version=world.enrolment.version, position__in=[1, 2]).update(is_optional=True)
    assert _request(world).status == SignOff.Status.REQUESTED


def test_request_emails_the_educator_and_is_audited(ready):
    subscribe(ready.educator.user, ready.centre, SIGN_OFF_REQUESTED)  # their preference on
    sign_off = _request(ready, comment="Ready when you are")
    assert sign_off.learner_comment == "Ready when you are"
    (email,) = OutboundEmail.objects.filter(template="passports/emails/signoff_requested")
    assert email.to == [ready.educator.user.email.lower()]
    assert str(sign_off.public_id) in email.text_body
    assert AuditEvent.objects.filter(action="passport.signoff_requested").count() == 1
    with pytest.raises(PassportError, match="already asked"):
        _request(ready)


def test_only_a_supervisor_with_sign_off_can_be_asked(ready, centre):
    with pytest.raises(PassportError, match="supervisors who can sign off"):
        signoff_request(enrolment=ready.enrolment, educator=ready.assessor.user, actor=ready.learner.user)
    not_a_supervisor = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    with pytest.raises(PassportError, match="supervisors who can sign off"):
        signoff_request(enrolment=ready.enrolment, educator=not_a_supervisor.user, actor=ready.learner.user)


def test_only_the_learner_can_ask(ready):
    with pytest.raises(PassportError, match="Only the learner"):
        signoff_request(enrolment=ready.enrolment, educator=ready.educator.user, actor=ready.educator.user)


# -- decide ----------------------------------------------------------------------------------------


def test_sign_off_locks_the_record_and_issues_a_certificate(ready):
    sign_off = _request(ready)
    certificate = signoff_decide(sign_off=sign_off, approve=True, comment="Excellent", actor=ready.educator.user)
    ready.enrolment.refresh_from_db()
    sign_off.refresh_from_db()
    assert ready.enrolment.signed_off_at is not None
    assert ready.enrolment.is_locked
    assert sign_off.status == SignOff.Status.SIGNED_OFF
    assert sign_off.educator_comment == "Excellent"
    assert CODE.match(certificate.code)
    assert certificate.sign_off == sign_off
    assert certificate.revoked_at is None
    (email,) = OutboundEmail.objects.filter(template="passports/emails/signoff_signed_off")
    assert email.to == [ready.learner.user.email.lower()]
    assert certificate.code in email.text_body
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"passport.signed_off", "passport.certificate_issued"} <= actions


def test_decline_needs_a_comment_and_emails_the_learner(ready):
    sign_off = _request(ready)
    with pytest.raises(PassportError, match="Enter a comment"):
        signoff_decide(sign_off=sign_off, approve=False, comment=" ", actor=ready.educator.user)
    signoff_decide(sign_off=sign_off, approve=False, comment="Do one more observed shift", actor=ready.educator.user)
    sign_off.refresh_from_db()
    ready.enrolment.refresh_from_db()
    assert sign_off.status == SignOff.Status.DECLINED
    assert not ready.enrolment.is_locked
    assert not Certificate.objects.exists()
    (email,) = OutboundEmail.objects.filter(template="passports/emails/signoff_declined")
    assert "Do one more observed shift" in email.text_body
    # The learner may ask again.
    assert _request(ready).status == SignOff.Status.REQUESTED


def test_only_the_educator_asked_can_decide(ready, centre):
    sign_off = _request(ready)
    other = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    for actor in (other.user, ready.assessor.user, ready.learner.user):
        with pytest.raises(PassportError):
            signoff_decide(sign_off=sign_off, approve=True, actor=actor)
    assert not Enrolment.objects.get(pk=ready.enrolment.pk).is_locked


def test_sign_off_rechecks_the_results(ready):
    sign_off = _request(ready)
    Result.objects.filter(enrolment=ready.enrolment, proficiency__position=1).update(status=ResultStatus.SELF_ASSESSED)
    with pytest.raises(PassportError, match="1 required proficiency is not confirmed"):
        signoff_decide(sign_off=sign_off, approve=True, actor=ready.educator.user)


# -- reopen ----------------------------------------------------------------------------------------


def test_reopen_clears_the_lock_and_revokes_the_certificate(ready):
    sign_off = _signed_off(ready)
    with pytest.raises(PassportError, match="Enter the reason"):
        enrolment_reopen(enrolment=ready.enrolment, reason="", actor=ready.educator.user)
    enrolment_reopen(enrolment=ready.enrolment, reason="Signed off on the wrong framework", actor=ready.educator.user)
    ready.enrolment.refresh_from_db()
    sign_off.refresh_from_db()
    assert ready.enrolment.signed_off_at is None
    assert sign_off.status == SignOff.Status.REOPENED
    assert sign_off.reopened_by == ready.educator.user
    assert sign_off.reopen_reason == "Signed off on the wrong framework"
    assert sign_off.reopened_at
    assert Certificate.objects.get(sign_off=sign_off).revoked_at is not None
    assert OutboundEmail.objects.filter(template="passports/emails/signoff_reopened").count() == 1
    with pytest.raises(PassportError, match="not signed off"):
        enrolment_reopen(enrolment=ready.enrolment, reason="again", actor=ready.educator.user)


def test_assessors_cannot_reopen(ready):
    _signed_off(ready)
    with pytest.raises(PassportError, match="Only an educator"):
        enrolment_reopen(enrolment=ready.enrolment, reason="Because", actor=ready.assessor.user)


# -- pages -----------------------------------------------------------------------------------------


def _learner_url(world):
    return reverse("passports:signoff", kwargs={"enrolment_id": world.enrolment.public_id})


def _decide_url(sign_off):
    return reverse("passports:supervise_signoff", kwargs={"signoff_id": sign_off.public_id})


def _reopen_url(world):
    return reverse("passports:supervise_reopen", kwargs={"enrolment_id": world.enrolment.public_id})


def test_learner_page_explains_what_is_missing(world, login_as, client):
    login_as(world.learner.user, world.centre)
    response = client.get(_learner_url(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert "10 required proficiencies are not confirmed yet" in body
    assert 'name="educator"' not in body
    assert client.post(_learner_url(world), {"educator": str(world.educator.user.public_id)}).status_code == 302
    assert not SignOff.objects.exists()


def test_learner_asks_an_educator_from_the_page(ready, login_as, client):
    login_as(ready.learner.user, ready.centre)
    body = client.get(_learner_url(ready)).content.decode()
    assert ready.educator.user.get_full_name() in body
    assert ready.assessor.user.get_full_name() not in body  # assessors cannot sign off
    response = client.post(_learner_url(ready), {})
    assert response.status_code == 400
    assert "Select the educator to ask" in response.content.decode()
    response = client.post(_learner_url(ready), {"educator": str(ready.assessor.user.public_id)})
    assert response.status_code == 400
    assert "Select one of the educators listed" in response.content.decode()
    response = client.post(_learner_url(ready), {"educator": str(ready.educator.user.public_id), "comment": "Hi"})
    assert response.status_code == 302
    sign_off = SignOff.objects.get()
    assert sign_off.educator == ready.educator.user
    assert sign_off.learner_comment == "Hi"
    body = client.get(_learner_url(ready)).content.decode()
    assert f"You asked {ready.educator.user.get_full_name()}" in body
    assert "Sign-off requested" in body


def test_learner_page_is_only_for_the_learner(ready, login_as, client, centre):
    for member in (ready.educator, MembershipFactory(centre=centre)):
        login_as(member.user, centre)
        assert client.get(_learner_url(ready)).status_code == 404


def test_educator_signs_off_from_the_page(ready, login_as, client):
    sign_off = _request(ready)
    login_as(ready.educator.user, ready.centre)
    response = client.get(_decide_url(sign_off))
    assert response.status_code == 200
    assert "Sign off this passport" in response.content.decode()
    response = client.post(_decide_url(sign_off), {"decision": "decline", "comment": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "Enter a comment to say why you are declining" in body
    response = client.post(_decide_url(sign_off), {"decision": "sign_off"})
    assert response.status_code == 302
    ready.enrolment.refresh_from_db()
    assert ready.enrolment.is_locked
    code = Certificate.objects.get().code
    body = client.get(response.url).content.decode()
    assert code in body
    assert "Reopen" in body
    login_as(ready.learner.user, ready.centre)
    body = client.get(_learner_url(ready)).content.decode()
    assert code in body
    assert "Signed off" in body


def test_assessor_cannot_sign_off_or_reopen_from_the_pages(ready, login_as, client):
    sign_off = _request(ready)
    login_as(ready.assessor.user, ready.centre)
    # The assessor supervises this learner, so may read the request, but not answer it.
    response = client.get(_decide_url(sign_off))
    assert response.status_code == 200
    assert 'name="decision"' not in response.content.decode()
    assert client.post(_decide_url(sign_off), {"decision": "sign_off"}).status_code == 302
    assert not Enrolment.objects.get(pk=ready.enrolment.pk).is_locked
    signoff_decide(sign_off=sign_off, approve=True, actor=ready.educator.user)
    assert client.get(_reopen_url(ready)).status_code == 403
    assert client.post(_reopen_url(ready), {"reason": "x"}).status_code == 403
    assert (
        "Reopen"
        not in client.get(
            reverse("passports:supervise_enrolment", kwargs={"enrolment_id": ready.enrolment.public_id})
        ).content.decode()
    )
    assert Enrolment.objects.get(pk=ready.enrolment.pk).is_locked


def test_educator_reopens_from_the_page(ready, login_as, client):
    _signed_off(ready)
    login_as(ready.educator.user, ready.centre)
    response = client.post(_reopen_url(ready), {"reason": ""})
    assert response.status_code == 400
    assert "Enter the reason for reopening" in response.content.decode()
    response = client.post(_reopen_url(ready), {"reason": "Wrong framework"})
    assert response.status_code == 302
    assert not Enrolment.objects.get(pk=ready.enrolment.pk).is_locked
    body = client.get(response.url).content.decode()
    assert "Reopened by" in body
    assert "Wrong framework" in body


def test_decision_page_visibility(ready, login_as, client, centre):
    sign_off = _request(ready)
    stranger = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    login_as(stranger.user, centre)
    assert client.get(_decide_url(sign_off)).status_code == 404
    login_as(ready.learner.user, centre)
    assert client.get(_decide_url(sign_off)).status_code == 403


def test_learner_withdraws_a_request(ready, login_as, client):
    sign_off = _request(ready)
    login_as(ready.learner.user, ready.centre)
    assert "Withdraw this request" in client.get(_learner_url(ready)).content.decode()
    assert client.post(_learner_url(ready), {"withdraw": "1"}).status_code == 302
    sign_off.refresh_from_db()
    assert sign_off.status == SignOff.Status.WITHDRAWN
    assert AuditEvent.objects.filter(action="passport.signoff_withdrawn").count() == 1
    # Withdrawn: the educator can no longer answer it, and the learner may ask again.
    with pytest.raises(PassportError, match="already been answered or withdrawn"):
        signoff_decide(sign_off=sign_off, approve=True, actor=ready.educator.user)
    assert _request(ready).status == SignOff.Status.REQUESTED
