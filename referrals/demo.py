"""Demo register for `manage.py seed_demo`: the Staffordshire and Stoke-on-Trent DSR (seed 004)
with MPFT and four more organisations, and the seed's twelve example referrals; LTHT gets a
register of its own so its DSR people have somewhere to work."""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from centres.models import Centre, RegistrationType
from centres.ownership import person_create_self
from centres.roles import Role
from centres.services.centres import centre_create
from centres.services.memberships import membership_create
from referrals.models import Condition, Ethnicity, Referral, Register, RegisterOrganisation, Risk
from referrals.references import reference_generate
from referrals.services.register_users import register_role_grant

DEMO_PASSWORD = "demo-passport-2026"  # noqa: S105 - the demo's published password (README)

STAFFORDSHIRE_ORGANISATIONS = [
    # code, name, email domain, its demo referrer (a referral is made by someone of its own organisation)
    ("NSCHT", "North Staffordshire Combined Healthcare NHS Trust", "combined.nhs.example", ("Daniel", "Hughes")),
    ("STOKECC", "Stoke-on-Trent City Council", "stoke.gov.example", ("Amira", "Shah")),
    ("STAFFPOL", "Staffordshire Police Harm Reduction Hub", "staffordshire.police.example", ("Paul", "Kerr")),
    ("STAFFSCC", "Staffordshire County Council", "staffordshire.gov.example", ("Joanne", "Platt")),
]
LOCALITIES = ["North Staffordshire & Stoke on Trent", "South Staffordshire"]

# The seed's example list (first name, last name, organisation code, locality, risk, age).
EXAMPLE_REFERRALS = [
    ("Percy", "Plum", "MPFT", 1, Risk.GREEN, 34),
    ("Ruby", "Scarlet", "MPFT", 1, Risk.AMBER, 27),
    ("Gordon", "Green", "NSCHT", 0, Risk.AMBER, 45),
    ("Wendy", "White", "STOKECC", 0, Risk.RED, 19),
    ("Joe", "Bloggs", "MPFT", 1, Risk.RED, 16),
    ("Bertie", "Black", "STAFFPOL", 1, Risk.RED, 23),
    ("Barney", "Rubble", "MPFT", 0, Risk.GREEN, 52),
    ("Tony", "Tiger", "NSCHT", 0, Risk.GREEN, 31),
    ("Toby", "Test", "MPFT", 1, Risk.RED, 17),
    ("William", "Wallace", "MPFT", 1, Risk.AMBER, 40),
    ("Stella", "Star", "STAFFPOL", 0, Risk.RED, 29),
    ("Mo", "Mauve", "MPFT", 1, Risk.BLUE, 24),
]
DEMO_NHS_NUMBERS = [
    "9434765919",
    "9434765870",
    "9434765838",
    "9434765846",
    "9434765854",
    "9434765862",
    "9434765889",
    "9434765897",
    "9434765900",
    "9434765927",
    "9434765935",
    "9434765943",
]


def _demo_referrer(organisation: Centre, first_name: str, last_name: str, email: str) -> User:
    """A referrer of `organisation`, who made its demo referrals (through the services)."""
    # Through the account-ownership module, as a person creating their own account.
    user = person_create_self(email=email, first_name=first_name, last_name=last_name, password=DEMO_PASSWORD)
    EmailAddress.objects.filter(user=user, email=user.email).update(verified=True)
    membership_create(user=user, centre=organisation, registration_type=RegistrationType.SELF, is_approved=True)
    register_role_grant(user=user, organisation=organisation, role=Role.REFERRER)
    return user


def demo_register_load(*, stdout) -> None:
    if Register.objects.exists():
        stdout.write("Demo registers are already loaded.")
        return
    mpft = Centre.objects.filter(code="MPFT").first()
    ltht = Centre.objects.filter(code="LTHT").first()
    if mpft is None or ltht is None:
        return
    staffordshire = Register.objects.create(
        name="Staffordshire and Stoke-on-Trent DSR",
        slug="staffordshire",
        support_email="dynamicsupportregister@mpft.nhs.example",
        localities=LOCALITIES,
        form_name="New referral",
        form_guidance="Complete the form with all the information you have. The questions that do not say "
        "optional are the minimum data set.",
        consent_link="https://www.staffordshire.example/dsr/consent-form",
        consent_guidance="Use the consent form and keep a copy in your own records.",
        team_inbox="dynamicsupportregister@mpft.nhs.example",
    )
    RegisterOrganisation.objects.create(register=staffordshire, centre=mpft, email_domains=["mpft.nhs.example"])
    organisations = {"MPFT": mpft}
    referrers = {"MPFT": User.objects.get(email="sophie.clarke@mpft.nhs.example")}
    for code, name, domain, (first_name, last_name) in STAFFORDSHIRE_ORGANISATIONS:
        centre = centre_create(code=code, name=name, email=f"dsr@{domain}")
        centre.show_in_directory = False
        centre.save(update_fields=["show_in_directory"])
        RegisterOrganisation.objects.create(register=staffordshire, centre=centre, email_domains=[domain])
        organisations[code] = centre
        referrers[code] = _demo_referrer(centre, first_name, last_name, f"{first_name}.{last_name}@{domain}".lower())
    west_yorkshire = Register.objects.create(
        name="West Yorkshire DSR",
        slug="west-yorkshire",
        localities=["Leeds", "Bradford", "Wakefield"],
        team_inbox="dsr.team@ltht.nhs.example",
    )
    RegisterOrganisation.objects.create(register=west_yorkshire, centre=ltht, email_domains=["ltht.nhs.example"])

    today = timezone.localdate()
    for index, (first, last, code, locality, risk, age) in enumerate(EXAMPLE_REFERRALS):
        Referral.objects.create(
            reference=reference_generate(),
            register=staffordshire,
            centre=organisations[code],
            created_by=referrers[code],
            updated_by=referrers[code],
            has_capacity=index % 3 != 0,
            consent_given=True if index % 3 != 0 else None,
            best_interest_decision=True if index % 3 == 0 else None,
            best_interest_detail="Best-interest meeting with family and social worker." if index % 3 == 0 else "",
            first_name=first,
            last_name=last,
            date_of_birth=date(today.year - age, 1 + index % 12, 10) - timedelta(days=0),
            nhs_number=DEMO_NHS_NUMBERS[index],
            condition=[Condition.LEARNING_DISABILITY, Condition.AUTISM, Condition.BOTH][index % 3],
            ethnicity=[Ethnicity.WHITE_BRITISH, Ethnicity.ASIAN_PAKISTANI, Ethnicity.BLACK_CARIBBEAN][index % 3],
            locality=LOCALITIES[locality],
            criminal_justice=["no", "yes", "dont_know"][index % 3],
            risk=risk,
            latest_update="Placement under strain; community team visiting weekly.",
        )
    stdout.write(f"Demo registers: {staffordshire.name} ({len(EXAMPLE_REFERRALS)} referrals), {west_yorkshire.name}.")
