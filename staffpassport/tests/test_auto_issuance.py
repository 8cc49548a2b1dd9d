"""S4: a toggle for a whole category and a box per credential; Continue saves every box."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from staffpassport.models import Credential
from staffpassport.selectors.catalogue import auto_issuance_map, credential_issues_automatically
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
URL = reverse("staffpassport:auto_issuance")


def _all_codes_except(*excluded):
    return [code for code in Credential.objects.values_list("code", flat=True) if code not in excluded]


def test_everything_is_automatic_until_a_trust_says_otherwise(senior_client, trust):
    assert all(auto_issuance_map(centre=trust).values())
    page = senior_client.get(URL).content.decode()
    assert page.count('name="automatic"') == Credential.objects.count()
    assert "Turn off automatic issuance for all" in page


def test_turning_off_dbs_for_the_whole_category_then_continue(senior_client, trust):
    dbs_codes = set(Credential.objects.filter(category__code="dbs").values_list("code", flat=True))
    response = senior_client.post(URL, {"automatic": _all_codes_except(), "toggle": "dbs"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your changes are not saved yet" in page
    for code in dbs_codes:
        assert f'value="{code}"' in page
        assert f'value="{code}" checked' not in page
    assert all(auto_issuance_map(centre=trust).values()), "a toggle alone saves nothing"

    response = senior_client.post(URL, {"automatic": _all_codes_except(*dbs_codes)}, follow=True)
    assert "All settings were saved" in response.content.decode()
    for credential in Credential.objects.all():
        expected = credential.code not in dbs_codes
        assert credential_issues_automatically(centre=trust, credential=credential) is expected
    event = AuditEvent.objects.get(centre=trust, action="staffpassport.auto_issuance_changed")
    assert "DBS enhanced check: off" in event.summary
    # Another trust is untouched.
    assert all(auto_issuance_map(centre=CentreFactory()).values())


def test_toggle_turns_a_partly_on_category_fully_on(senior_client):
    response = senior_client.post(URL, {"automatic": ["dbs-basic"], "toggle": "dbs"})
    page = response.content.decode()
    assert 'value="dbs-enhanced" checked' in page


def test_single_box_and_unknown_codes(senior_client, trust):
    senior_client.post(URL, {"automatic": [*_all_codes_except("influenza"), "not-a-credential"]})
    influenza = Credential.objects.get(code="influenza")
    assert credential_issues_automatically(centre=trust, credential=influenza) is False
    assert auto_issuance_map(centre=trust)[Credential.objects.get(code="mmr").pk] is True
    # Saving the same again writes no new audit event.
    senior_client.post(URL, {"automatic": _all_codes_except("influenza")})
    assert AuditEvent.objects.filter(centre=trust, action="staffpassport.auto_issuance_changed").count() == 1


def test_page_queries_do_not_grow_with_saved_settings(senior_client, trust, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        senior_client.get(URL)
    senior_client.post(URL, {"automatic": []})
    with django_assert_max_num_queries(20):
        senior_client.get(URL)
