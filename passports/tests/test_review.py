"""P7: reviewing a confirmation request (the service and the review page)."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent, RoleAssignment
from centres.roles import Role
from centres.services.roles import role_revoke
from notifications.models import OutboundEmail
from passports.models import ConfirmationItem, ConfirmationRequest, Result, ResultStatus, StaffListEntry
from passports.services.errors import PassportError
from passports.services.review import results_review
from passports.tests.test_supervisor_data import request_build, world_build
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(centre):
    return world_build(centre=centre)


@pytest.fixture
def open_request(world):
    return request_build(world.enrolment, world.assessor.user)


def _items(request):
    return list(request.items.order_by("result__proficiency__position"))


def _review_emails():
    return OutboundEmail.objects.filter(template="passports/emails/review_summary")


# -- service -----------------------------------------------------------------------------------


def test_confirm_and_reject_in_one_submission(world, open_request):
    items = _items(open_request)
    summary = results_review(
        confirmation_request=open_request,
        confirm={item.pk: "Well done" if index == 0 else "" for index, item in enumerate(items[:8])},
        reject={item.pk: "Practise under supervision twice" for item in items[8:]},
        actor=world.assessor.user,
    )
    assert len(summary.confirmed) == 8
    assert len(summary.rejected) == 2
    assert summary.request_completed
    results = {r.pk: r for r in Result.objects.filter(enrolment=world.enrolment)}
    first = results[items[0].result_id]
    assert first.status == ResultStatus.CONFIRMED
    assert first.reviewed_by == world.assessor.user
    assert first.reviewed_at
    assert first.reviewer_comment == "Well done"
    rejected = results[items[9].result_id]
    assert rejected.status == ResultStatus.REJECTED
    assert rejected.reviewer_comment == "Practise under supervision twice"
    assert first.history.first().history_user == world.assessor.user
    outcomes = sorted(ConfirmationItem.objects.filter(request=open_request).values_list("outcome", flat=True))
    assert outcomes == ["confirmed"] * 8 + ["rejected"] * 2
    open_request.refresh_from_db()
    assert open_request.status == ConfirmationRequest.Status.COMPLETED
    assert open_request.closed_at
    # One summary email to the learner, with the counts and the list.
    (email,) = _review_emails()
    assert email.to == [world.learner.user.email.lower()]
    assert "8 confirmed, 2 rejected" in email.text_body
    assert "Practise under supervision twice" in email.text_body
    # It links to the passport it is about (issue 16 item 10), not just the site.
    assert f"/passports/enrolments/{open_request.enrolment.public_id}/" in email.text_body
    assert AuditEvent.objects.filter(action="passport.results_reviewed", centre=world.centre).count() == 1


def test_request_stays_open_while_items_are_pending(world, open_request):
    items = _items(open_request)
    summary = results_review(
        confirmation_request=open_request, confirm={items[0].pk: ""}, reject={}, actor=world.assessor.user
    )
    assert not summary.request_completed
    open_request.refresh_from_db()
    assert open_request.status == ConfirmationRequest.Status.OPEN


def test_reject_needs_an_action_plan(world, open_request):
    items = _items(open_request)
    with pytest.raises(PassportError, match="action plan"):
        results_review(
            confirmation_request=open_request,
            confirm={items[0].pk: ""},
            reject={items[1].pk: "  "},
            actor=world.assessor.user,
        )
    assert not Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.CONFIRMED).exists()
    assert not _review_emails().exists()


def test_only_the_chosen_supervisor_may_review(world, open_request):
    items = _items(open_request)
    with pytest.raises(PassportError, match="Only the supervisor"):
        results_review(
            confirmation_request=open_request, confirm={items[0].pk: ""}, reject={}, actor=world.educator.user
        )


def test_a_withdrawn_item_cannot_be_reviewed(world, open_request):
    items = _items(open_request)
    items[0].outcome = ConfirmationItem.Outcome.WITHDRAWN
    items[0].save()
    with pytest.raises(PassportError, match="no longer waiting"):
        results_review(
            confirmation_request=open_request,
            confirm={items[0].pk: "", items[1].pk: ""},
            reject={},
            actor=world.assessor.user,
        )
    assert not Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.CONFIRMED).exists()


def test_a_closed_request_cannot_be_reviewed(world, open_request):
    ConfirmationRequest.objects.filter(pk=open_request.pk).update(status=ConfirmationRequest.Status.WITHDRAWN)
    with pytest.raises(PassportError, match="already been completed or withdrawn"):
        results_review(
            confirmation_request=open_request,
            confirm={_items(open_request)[0].pk: ""},
            reject={},
            actor=world.assessor.user,
        )


def test_a_supervisor_who_lost_the_role_cannot_review(world, open_request):
    assignment = RoleAssignment.objects.get(user=world.assessor.user, centre=world.centre, role=Role.ASSESSOR)
    role_revoke(assignment=assignment, revoked_by=world.educator.user)
    from accounts.models import User

    actor = User.objects.get(pk=world.assessor.user.pk)  # a fresh object: no permission cache
    with pytest.raises(PassportError, match="no longer"):
        results_review(
            confirmation_request=open_request, confirm={_items(open_request)[0].pk: ""}, reject={}, actor=actor
        )


def test_an_item_of_another_request_is_refused(world, open_request, centre):
    other = world_build(centre=centre)
    other_request = request_build(other.enrolment, world.assessor.user)
    with pytest.raises(PassportError, match="no longer waiting"):
        results_review(
            confirmation_request=open_request,
            confirm={_items(other_request)[0].pk: ""},
            reject={},
            actor=world.assessor.user,
        )


# -- page ----------------------------------------------------------------------------------------


def _url(request):
    return reverse("passports:supervise_request", kwargs={"request_id": request.public_id})


def test_the_chosen_supervisor_sees_the_items_to_review(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    response = client.get(_url(open_request))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Confirm results for {world.learner.user.get_full_name()}" in body
    assert body.count('name="selected"') == 10
    assert "Proficiency 1.1" in body
    assert "Achieved" in body
    assert "Confirm ticked results" in body
    assert "Reject ticked results" in body


def test_another_supervisor_sees_pending_confirmation_read_only(world, open_request, login_as, client):
    login_as(world.educator.user, world.centre)
    response = client.get(_url(open_request))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pending confirmation" in body
    assert 'name="selected"' not in body
    response = client.post(_url(open_request), {"selected": [_items(open_request)[0].pk], "action": "confirm"})
    assert response.status_code == 302
    assert not Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.CONFIRMED).exists()


def test_an_educator_with_the_learner_on_their_staff_list_sees_it(world, open_request, login_as, client, centre):
    other_educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    login_as(other_educator.user, centre)
    assert client.get(_url(open_request)).status_code == 404
    StaffListEntry.objects.create(
        centre=centre, educator=other_educator.user, email=world.learner.user.email, membership=world.learner
    )
    assert client.get(_url(open_request)).status_code == 200


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.EDUCATOR])
def test_an_unrelated_assessor_or_educator_gets_404(world, open_request, login_as, client, centre, role):
    stranger = MembershipFactory(centre=centre, role=role)
    login_as(stranger.user, centre)
    assert client.get(_url(open_request)).status_code == 404
    assert client.post(_url(open_request), {"action": "confirm"}).status_code == 404


@pytest.mark.parametrize("role", [None, Role.ADMINISTRATOR, Role.CENTRE_MANAGER])
def test_people_without_assess_are_refused(world, open_request, login_as, client, centre, role):
    member = world.learner if role is None else MembershipFactory(centre=centre, role=role)
    login_as(member.user, centre)
    assert client.get(_url(open_request)).status_code == 403


def test_bulk_confirm_from_the_page(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    items = _items(open_request)
    response = client.post(
        _url(open_request),
        {"selected": [item.pk for item in items[:8]], "action": "confirm", "comment": "Good practice seen"},
    )
    assert response.status_code == 302
    assert response.url == _url(open_request)
    confirmed = Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.CONFIRMED)
    assert confirmed.count() == 8
    assert set(confirmed.values_list("reviewer_comment", flat=True)) == {"Good practice seen"}
    assert _review_emails().count() == 1
    # The last two rejected together with one action plan; the request is then complete.
    response = client.post(
        _url(open_request),
        {"selected": [item.pk for item in items[8:]], "action": "reject", "action_plan": "Watch a colleague first"},
    )
    assert response.status_code == 302
    assert response.url == reverse("passports:supervise")
    rejected = Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.REJECTED)
    assert set(rejected.values_list("reviewer_comment", flat=True)) == {"Watch a colleague first"}
    assert _review_emails().count() == 2


def test_bulk_reject_without_an_action_plan_shows_an_error(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    items = _items(open_request)
    response = client.post(_url(open_request), {"selected": [items[0].pk], "action": "reject", "action_plan": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in body
    assert "Enter an action plan to reject the selected results" in body
    assert f'value="{items[0].pk}" aria-describedby="id_selected-item-hint" checked' in body
    assert not _review_emails().exists()


def test_nothing_ticked_shows_an_error(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    response = client.post(_url(open_request), {"action": "confirm"})
    assert response.status_code == 400
    assert "Select the results you want to confirm" in response.content.decode()


def test_one_result_rejected_with_its_own_action_plan(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    items = _items(open_request)
    response = client.post(_url(open_request), {"one": f"reject:{items[2].pk}", f"comment_{items[2].pk}": ""})
    assert response.status_code == 400
    assert "Enter an action plan to reject this result" in response.content.decode()
    response = client.post(
        _url(open_request),
        {"one": f"reject:{items[2].pk}", f"comment_{items[2].pk}": "Redo the module", "selected": [items[0].pk]},
    )
    assert response.status_code == 302
    result = Result.objects.get(pk=items[2].result_id)
    assert result.status == ResultStatus.REJECTED
    assert result.reviewer_comment == "Redo the module"
    # Only that one: the ticked box is ignored by the single-result buttons.
    assert Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.REQUESTED).count() == 9


def test_one_result_confirmed_with_a_comment(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    item = _items(open_request)[4]
    client.post(_url(open_request), {"one": f"confirm:{item.pk}", f"comment_{item.pk}": "Seen on the ward"})
    result = Result.objects.get(pk=item.result_id)
    assert result.status == ResultStatus.CONFIRMED
    assert result.reviewer_comment == "Seen on the ward"


def test_a_stale_item_id_gives_a_message_not_a_500(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    cases = [
        ({"selected": ["999999"], "action": "confirm"}, "no longer waiting for confirmation"),
        ({"one": "confirm:999999"}, "no longer waiting for confirmation"),
        ({"one": "nonsense"}, "Choose whether to confirm or reject"),
    ]
    for data, message in cases:
        response = client.post(_url(open_request), data)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_review_page_queries_do_not_grow_with_items(centre, login_as, client, django_assert_max_num_queries):
    small = world_build(centre=centre, sections=1, per_section=2)
    small_request = request_build(small.enrolment, small.assessor.user)
    login_as(small.assessor.user, centre)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(_url(small_request))
    big = world_build(centre=centre, sections=5, per_section=12)
    big_request = request_build(big.enrolment, big.assessor.user)
    login_as(big.assessor.user, centre)
    with django_assert_max_num_queries(len(few)):
        response = client.get(_url(big_request))
    assert response.content.decode().count('name="selected"') == 60


def test_with_the_learner_areas_services(world):
    """P6 creates the request; P7 reviews it; a learner's later change withdraws pending items."""
    from passports.services.assessment import result_assess
    from passports.services.confirmation import confirmation_request_create

    learner = world.learner.user
    results = list(world.enrolment.results.order_by("proficiency__position")[:3])
    for result in results:
        result_assess(result=result, answer="achieved", actor=learner)
    request = confirmation_request_create(
        enrolment=world.enrolment, supervisor=world.assessor.user, results=results, actor=learner
    )
    items = _items(request)
    results_review(confirmation_request=request, confirm={items[0].pk: ""}, reject={}, actor=world.assessor.user)
    # The learner changes the answer of a pending result: its item is withdrawn, so it can no
    # longer be reviewed.
    result_assess(result=Result.objects.get(pk=items[1].result_id), answer="ongoing", actor=learner)
    with pytest.raises(PassportError, match="no longer waiting"):
        results_review(confirmation_request=request, confirm={items[1].pk: ""}, reject={}, actor=world.assessor.user)
    summary = results_review(
        confirmation_request=request, confirm={}, reject={items[2].pk: "Try again"}, actor=world.assessor.user
    )
    assert summary.request_completed
    statuses = [Result.objects.get(pk=item.result_id).status for item in items]
    assert statuses == [ResultStatus.CONFIRMED, ResultStatus.SELF_ASSESSED, ResultStatus.REJECTED]
