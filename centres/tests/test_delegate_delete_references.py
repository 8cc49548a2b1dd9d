"""Issue 12 finding 10: "Delete this unused record" was offered for a delegate enrolled on a
passport (the delete then answered 500: ProtectedError) or on a staff list (the entry went
with it, silently). "Unused" now counts every row that refers to the record, found from the
model relations, so a new app's references count without a change here."""

import pytest
from django.db import models

from centres.models import AuditEvent, Membership, WelcomeLink
from centres.roles import Role
from centres.selectors.delegates import RECORD_OWN_MODELS, delegate_deletion_blocker, record_references
from centres.services.welcome import welcome_link_send
from centres.tests.test_delegates import admin, admin_client, body, centre, person, url  # noqa: F401 - fixtures
from passports.models import StaffListEntry
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _enrolled(centre):  # noqa: F811
    delegate = person(centre, "Ena", "Enrolled", unclaimed=True)
    enrolment_build(centre=centre, version=framework_version_build(sections=1, per_section=1), learner=delegate)
    return delegate


def _on_staff_list(centre):  # noqa: F811
    delegate = person(centre, "Sam", "Listed", unclaimed=True)
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    StaffListEntry.objects.create(centre=centre, educator=educator.user, email=delegate.user.email, membership=delegate)
    return delegate


@pytest.mark.parametrize(("make", "named"), [(_enrolled, "1 enrolment"), (_on_staff_list, "1 staff list entry")])
def test_a_record_in_use_is_not_offered_for_deletion_and_is_not_deleted(centre, admin_client, make, named):  # noqa: F811
    delegate = make(centre)
    detail = body(admin_client.get(url("delegate_detail", delegate)))
    assert "Delete this unused record" not in detail
    assert "You cannot delete this record" in detail
    assert named in detail
    page = body(admin_client.get(url("delegate_delete", delegate)))
    assert 'type="submit"' not in page.split("<main", 1)[1]
    response = admin_client.post(url("delegate_delete", delegate))
    assert response.status_code == 302  # the old code: 500 for the enrolment
    assert Membership.objects.filter(pk=delegate.pk).exists()
    assert not AuditEvent.objects.filter(action="membership.deleted").exists()
    assert StaffListEntry.objects.filter(membership=delegate).exists() == (make is _on_staff_list)


def test_a_welcome_link_is_part_of_the_record_and_does_not_block(centre, admin, admin_client):  # noqa: F811
    delegate = person(centre, "Una", "Used", unclaimed=True)
    welcome_link_send(membership=delegate, sent_by=admin.user)
    assert delegate_deletion_blocker(membership=delegate) == ""
    assert "Delete this unused record" in body(admin_client.get(url("delegate_detail", delegate)))
    admin_client.post(url("delegate_delete", delegate))
    assert not Membership.objects.filter(pk=delegate.pk).exists()
    assert not WelcomeLink.objects.exists()


def test_every_relation_to_a_delegate_record_counts_unless_it_is_part_of_the_record():
    """The check is generic: every model with a foreign key to Membership is either counted as
    a use (the collector finds it) or listed as part of the record. This fails when a model is
    added whose rows the collector cannot see."""
    relations = [
        rel
        for rel in Membership._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]
    counted = {
        rel.related_model._meta.label_lower
        for rel in relations
        if rel.on_delete is not models.DO_NOTHING and rel.related_model._meta.label_lower not in RECORD_OWN_MODELS
    }
    assert {"passports.enrolment", "passports.stafflistentry"} <= counted
    delegate = _enrolled(MembershipFactory().centre)
    assert {model._meta.label_lower for model in record_references(delegate)} >= {"passports.enrolment"}
