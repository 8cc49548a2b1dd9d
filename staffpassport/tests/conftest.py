import pytest

from centres.roles import Role
from tests.factories import CentreFactory, MembershipFactory


@pytest.fixture
def trust(db):
    return CentreFactory(code="TRA", name="Trust A Teaching Hospitals")


@pytest.fixture
def senior(trust):
    return MembershipFactory(centre=trust, role=Role.SENIOR_PORTAL_ADMIN)


@pytest.fixture
def senior_client(client, login_as, trust, senior):
    return login_as(senior.user, trust)
