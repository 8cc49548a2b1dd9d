"""Registers, organisations and referrals for tests: `register_build(...)`, `ReferralFactory`."""

import itertools
from datetime import date

import factory

from centres.roles import Role
from referrals.models import AccessLimit, Condition, Ethnicity, Referral, Register, RegisterOrganisation, Risk
from tests.factories import CentreFactory, MembershipFactory

_nhs_serial = itertools.count(100_000_000)


def nhs_number_valid() -> str:
    """A fresh NHS number with a correct check digit (skipping bases whose check digit is 10)."""
    while True:
        base = str(next(_nhs_serial))[:9].rjust(9, "4")
        total = sum(int(digit) * weight for digit, weight in zip(base, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return f"{base}{check}"


def register_build(*, name="Test DSR", slug=None, centres=None, domains=None, **fields) -> Register:
    """A register with its organisations. `centres` defaults to two new ones; `domains` maps a
    centre to its allow-listed domains (default: the centre code + '.nhs.example')."""
    register = Register.objects.create(
        name=name,
        slug=slug or name.lower().replace(" ", "-"),
        localities=fields.pop("localities", ["North Staffordshire & Stoke on Trent", "South Staffordshire"]),
        team_inbox=fields.pop("team_inbox", "dsr.team@inbox.nhs.example"),
        **fields,
    )
    for centre in centres if centres is not None else [CentreFactory(), CentreFactory()]:
        RegisterOrganisation.objects.create(
            register=register,
            centre=centre,
            email_domains=(domains or {}).get(centre, [f"{centre.code.lower()}.nhs.example"]),
        )
    return register


def register_person(*, centre, role: Role, limited_to=(), **user_fields):
    """A person at `centre` holding `role`, optionally limited to some organisations (R2).
    `user__is_staff=True` makes them platform staff after the grant (platform staff cannot be
    given a register role: centres.grants), to test that such a person still sees nothing."""
    made_staff = user_fields.pop("user__is_staff", False)
    membership = MembershipFactory(centre=centre, role=role, **user_fields)
    if made_staff:
        membership.user.is_staff = True
        membership.user.save(update_fields=["is_staff"])
    register = RegisterOrganisation.objects.for_centre(centre).get().register
    for organisation in limited_to:
        AccessLimit.objects.create(register=register, user=membership.user, centre=organisation)
    return membership.user


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral. Pass `centre` and `created_by`; the register is the centre's."""

    class Meta:
        model = Referral

    reference = factory.Sequence(lambda n: f"T{n:07d}")
    register = factory.LazyAttribute(lambda r: RegisterOrganisation.objects.for_centre(r.centre).get().register)
    updated_by = factory.SelfAttribute("created_by")
    has_capacity = True
    consent_given = True
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(1995, 6, 15)
    nhs_number = factory.LazyFunction(nhs_number_valid)
    condition = Condition.LEARNING_DISABILITY
    ethnicity = Ethnicity.WHITE_BRITISH
    locality = "South Staffordshire"
    criminal_justice = "no"
    risk = Risk.AMBER
    latest_update = "Discussed at the last meeting."
