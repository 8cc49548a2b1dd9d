"""U1 + U2/U3 together: a downloaded "current delegates" workbook uploads again unchanged,
including escaped text, booleans, prompt answers and PRNs."""

import io

import pytest

from centres.bulk.download import delegates_workbook
from centres.bulk.reading import read_workbook
from centres.bulk.validation import validate
from centres.models import RegistrationPrompt
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_downloaded_workbook_uploads_unchanged():
    centre = CentreFactory()
    RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", is_mandatory=True, options=["A", "B"])
    MembershipFactory(centre=centre, answer1="A", has_prn=True, prn="NMC-12345", alias_id="E1001")
    MembershipFactory(centre=centre, answer1="B", has_prn=False, is_active=False)
    MembershipFactory(
        centre=centre, answer1="A", user=UserFactory(first_name="=Danger", last_name="+Plus"), has_prn=None
    )
    workbook = delegates_workbook(centre=centre, include_delegates=True)
    preview = validate(centre=centre, rows=read_workbook(io.BytesIO(workbook)))
    assert preview.summary()["errors"] == [], preview.summary()
    assert preview.count("unchanged") == 3
