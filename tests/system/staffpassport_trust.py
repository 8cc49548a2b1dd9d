"""A trust of the staff passport browser journeys' own, beside the demo's LTHT (whose demo staff
passports, DBS settings and templates the journeys must not depend on): a new centre and its
senior portal administrator, made through the services."""

from dataclasses import dataclass

from centres.models import Centre
from centres.roles import Role
from centres.services.centres import centre_create
from tests.factories import PASSWORD, MembershipFactory, UserFactory

TRUST_CODE = "HDFT"
TRUST_NAME = "Harrogate and District NHS Foundation Trust"


@dataclass(frozen=True)
class Trust:
    centre: Centre
    admin_email: str
    admin_name: str
    password: str = PASSWORD


def trust_with_senior_administrator(*, first_name: str = "Rachel", last_name: str = "Adeyemi") -> Trust:
    centre = centre_create(code=TRUST_CODE, name=TRUST_NAME, postcode="HG2 7SX", email="learning@hdft.nhs.example")
    email = f"{first_name}.{last_name}@hdft.nhs.example".lower()
    user = UserFactory(first_name=first_name, last_name=last_name, email=email)
    MembershipFactory(centre=centre, user=user, role=Role.SENIOR_PORTAL_ADMIN)
    return Trust(centre=centre, admin_email=email, admin_name=f"{first_name} {last_name}")
