"""Demo data: two centres with a person for every role at each, and a platform staff user."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.services import user_create
from centres.configuration import centre_public_details_update, centre_support_details_update
from centres.models import Centre, JobGroup, Membership, RegistrationPrompt, RegistrationType
from centres.platform_staff import platform_staff_group_ensure
from centres.roles import REGISTER_ROLES, Role
from centres.services.centres import centre_create
from centres.services.memberships import membership_create
from centres.services.roles import role_grant
from centres.services.welcome import welcome_link_send
from notifications.models import NotificationKind, NotificationSubscription

DEMO_PASSWORD = "demo-passport-2026"

CENTRES = [
    {
        "code": "LTHT",
        "name": "Leeds Teaching Hospitals NHS Trust",
        "domain": "ltht.nhs.example",
        "ip_prefixes": ["10.160."],
        "postcode": "LS9 7TF",
        "people": [
            (None, "Grace", "Okafor", 1),
            (Role.ASSESSOR, "Tom", "Underwood", 1),
            (Role.EDUCATOR, "Priya", "Raman", 1),
            (Role.ADMINISTRATOR, "Alan", "Whitaker", 5),
            (Role.CENTRE_MANAGER, "Helen", "Marsh", 15),
            (Role.AUTHORISER, "Samuel", "Osei", 17),
            (Role.SENIOR_PORTAL_ADMIN, "Joanne", "Pickering", 5),
            (Role.REFERRER, "Fatima", "Hussain", 20),
            (Role.DSR_REPORTING, "Gareth", "Lloyd", 9),
            (Role.DSR_ADMIN, "Nadia", "Kowalski", 16),
        ],
    },
    {
        "code": "MPFT",
        "name": "Midlands Partnership University NHS Foundation Trust",
        "domain": "mpft.nhs.example",
        "ip_prefixes": ["10.170."],
        "postcode": "ST16 3SR",
        "people": [
            (None, "Oliver", "Bennett", 1),
            (Role.ASSESSOR, "Chloe", "Adeyemi", 1),
            (Role.EDUCATOR, "Rajesh", "Patel", 1),
            (Role.ADMINISTRATOR, "Emma", "Thornton", 5),
            (Role.CENTRE_MANAGER, "David", "Greenwood", 15),
            (Role.AUTHORISER, "Aisha", "Begum", 17),
            (Role.SENIOR_PORTAL_ADMIN, "Ian", "Fletcher", 5),
            (Role.REFERRER, "Sophie", "Clarke", 20),
            (Role.DSR_REPORTING, "Marcus", "Reid", 9),
            (Role.DSR_ADMIN, "Lucy", "Harrington", 16),
        ],
    },
]

# What each demo centre shows in "Find your centre" and to its learners (C1, C10).
CENTRE_DETAILS = {
    "LTHT": {
        "support_details": (
            "Clinical Education Team: education.ltht@ltht.nhs.example\n0113 206 0000, Monday to Friday, 9am to 4pm"
        ),
        "public": {
            "public_telephone": "0113 206 0000",
            "public_email": "education.ltht@ltht.nhs.example",
            "postcode": "LS9 7TF",
            "opening_hours": "Monday to Friday, 9am to 4pm",
            "web_address": "https://www.leedsth.nhs.example/education",
            "areas_covered": "Leeds",
            "training_venues": "St James's University Hospital\nLeeds General Infirmary",
        },
    },
    "MPFT": {
        "support_details": "",
        "public": {
            "public_telephone": "0300 790 7000",
            "public_email": "",
            "postcode": "ST16 3SR",
            "opening_hours": "Monday to Friday, 8.30am to 4.30pm",
            "web_address": "",
            "areas_covered": "Staffordshire, Shropshire and Stoke-on-Trent",
            "training_venues": "St George's Hospital, Stafford",
        },
    },
}

PLATFORM_STAFF_EMAIL = "platform.staff@platform.nhs.example"
TWO_CENTRE_EMAIL = "grace.okafor@ltht.nhs.example"


def _configure_centre(centre: Centre, spec: dict, administrator) -> None:
    """A notify address, a registration prompt, and the administrator told about approvals."""
    domain = spec["domain"]
    centre.notify_email = f"learning@{domain}"
    centre.support_details = (
        f"Learning and development team: learning@{domain}, extension 4410, Monday to Friday 8am to 5pm."
    )
    centre.public_telephone = "0113 243 3144" if spec["code"] == "LTHT" else "0300 790 7000"
    centre.public_email = f"learning@{domain}"
    centre.opening_hours = "Monday to Friday, 8am to 5pm"
    centre.save()
    RegistrationPrompt.objects.create(
        centre=centre,
        position=1,
        text="Ward or department",
        is_mandatory=True,
        options=["Emergency department", "Cardiology", "Oncology day unit", "Community nursing", "Other"],
    )
    NotificationSubscription.objects.create(
        user=administrator, centre=centre, kind=NotificationKind.REGISTRATION_APPROVAL
    )


def _answer_prompt(centre: Centre) -> None:
    """Everyone at the demo centre has answered its mandatory prompt, so the downloaded
    bulk-upload workbook uploads again unchanged."""
    prompt = RegistrationPrompt.objects.for_centre(centre).get(position=1)
    memberships = list(Membership.objects.for_centre(centre).order_by("pk"))
    for index, membership in enumerate(memberships):
        membership.answer1 = prompt.options[index % len(prompt.options)]
    Membership.objects.bulk_update(memberships, ["answer1"])


def _platform_staff_account_ensure() -> None:
    """The demo platform account is staff with the "Platform staff" group's admin permissions,
    not a superuser (also on a database loaded before this rule)."""
    staff = User.objects.filter(email=PLATFORM_STAFF_EMAIL).first()
    if staff is None:
        return
    if staff.is_superuser:
        staff.is_superuser = False
        staff.save(update_fields=["is_superuser"])
    staff.groups.add(platform_staff_group_ensure())


class Command(BaseCommand):
    help = "Load demo centres and people (one login per role at each centre) and print the logins."

    @transaction.atomic
    def handle(self, *args, **options):
        if Centre.objects.filter(code="LTHT").exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self._load()
        _platform_staff_account_ensure()
        # Feature apps add their own demo data (centres must not import them).
        for app_config in apps.get_app_configs():
            if hasattr(app_config, "seed_demo"):
                app_config.seed_demo(self.stdout)
        self._print_logins()

    def _load(self):
        staff = user_create(
            email=PLATFORM_STAFF_EMAIL,
            first_name="Pat",
            last_name="Morgan",
            password=DEMO_PASSWORD,
            email_verified=True,
            is_staff=True,
        )
        for spec in CENTRES:
            centre = centre_create(
                code=spec["code"],
                name=spec["name"],
                ip_prefixes=spec["ip_prefixes"],
                postcode=spec["postcode"],
                actor=staff,
                email=f"learning@{spec['domain']}",
            )
            people = {}
            for role, first_name, last_name, job_group_id in spec["people"]:
                user = user_create(
                    email=f"{first_name}.{last_name}@{spec['domain']}".lower(),
                    first_name=first_name,
                    last_name=last_name,
                    password=DEMO_PASSWORD,
                    email_verified=True,
                )
                membership_create(
                    user=user,
                    centre=centre,
                    registration_type=RegistrationType.CENTRE,
                    is_approved=True,
                    job_group=JobGroup.objects.get(pk=job_group_id),
                    actor=staff,
                )
                people[role] = user
            manager = people[Role.CENTRE_MANAGER]
            role_grant(user=manager, centre=centre, role=Role.CENTRE_MANAGER, granted_by=staff)
            for role, user in people.items():
                if role not in (None, Role.CENTRE_MANAGER):
                    # Register roles come from platform staff (or the register's administrators),
                    # never from a centre manager (ADR 0016).
                    granter = staff if role in REGISTER_ROLES else manager
                    role_grant(user=user, centre=centre, role=role, granted_by=granter)
            _configure_centre(centre, spec, people[Role.ADMINISTRATOR])
            # Two people the centre registered who have not set a password yet (welcome emails).
            for first_name, last_name in (("Megan", "Price"), ("Dev", "Chauhan")):
                unclaimed = user_create(
                    email=f"{first_name}.{last_name}@{spec['domain']}".lower(),
                    first_name=first_name,
                    last_name=last_name,
                )
                membership = membership_create(
                    user=unclaimed,
                    centre=centre,
                    registration_type=RegistrationType.CENTRE,
                    is_approved=True,
                    job_group=JobGroup.objects.get(pk=4),
                    actor=manager,
                )
                welcome_link_send(membership=membership, sent_by=manager)
            # Someone waiting for approval, so the administrator's dashboard has something to show.
            waiting = user_create(
                email=f"kieran.doyle@{spec['domain']}", first_name="Kieran", last_name="Doyle", email_verified=True
            )
            membership_create(
                user=waiting,
                centre=centre,
                registration_type=RegistrationType.SELF,
                is_approved=False,
                job_group=JobGroup.objects.get(pk=1),
            )
            _answer_prompt(centre)
            self._load_centre_details(centre, manager)
        # One learner registered at both centres, to show "Choose a centre".
        grace = User.objects.get(email=TWO_CENTRE_EMAIL)
        membership_create(
            user=grace,
            centre=Centre.objects.get(code="MPFT"),
            registration_type=RegistrationType.SELF,
            is_approved=True,
            job_group=JobGroup.objects.get(pk=1),
        )
        _answer_prompt(Centre.objects.get(code="MPFT"))

    def _load_centre_details(self, centre, manager):
        details = CENTRE_DETAILS[centre.code]
        centre_public_details_update(centre=centre, changed_by=manager, show_in_directory=True, **details["public"])
        if details["support_details"]:
            centre_support_details_update(centre=centre, support_details=details["support_details"], changed_by=manager)

    def _print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        self.stdout.write(f"  {'Platform staff':32} {PLATFORM_STAFF_EMAIL}")
        for spec in CENTRES:
            self.stdout.write(f"\n  {spec['name']} ({spec['code']})")
            for role, first_name, last_name, _ in spec["people"]:
                label = role.label if role else "Learner"
                email = f"{first_name}.{last_name}@{spec['domain']}".lower()
                note = " (also at MPFT: shows Choose a centre)" if email == TWO_CENTRE_EMAIL else ""
                self.stdout.write(f"  {label:32} {email}{note}")
        self.stdout.write("")
