"""C15: which help sections a person sees, their own roles first (presenter for /help/).

The words live in templates (centres/jinja2/centres/help/_<slug>.html); this module decides
the order and names the pages each section describes (`topics`: URL name and the words the
help uses for it), so a test can tell when help still calls a built page "coming soon"."""

from dataclasses import dataclass, field

from centres.roles import Role


@dataclass(frozen=True)
class HelpSection:
    slug: str
    title: str
    topics: tuple[tuple[str, str], ...] = field(default=())

    @property
    def template(self) -> str:
        return f"centres/help/_{self.slug}.html"


LEARNER = HelpSection(
    "learner",
    "Help for learners",
    (
        ("register_choose_centre", "register yourself"),
        ("directory:list", "Find your centre"),
        ("passports:learner_home", "passport"),
        ("passports:learner_home", "confirm"),
        ("passports:learner_home", "sign-off"),
    ),
)
ASSESSOR = HelpSection("assessor", "Help for assessors", (("passports:supervise", "confirm"),))
EDUCATOR = HelpSection(
    "educator",
    "Help for educators and managers",
    (
        ("passports:staff_list", "staff list"),
        ("passports:staff_list", "enrol"),
        ("passports:supervise", "confirm"),
        ("passports:supervise", "sign-off"),
        ("passports:reports", "report"),
        ("centres:roles", "assessor"),
    ),
)
ADMINISTRATOR = HelpSection(
    "administrator",
    "Help for administrators",
    (
        ("centres:configuration", "Centre configuration"),
        ("centres:registrations", "Approvals"),
        ("centres:register_delegate", "Register a delegate"),
        ("centres:welcome_emails", "welcome email"),
        ("centres:delegates_bulk", "spreadsheet"),
        ("centres:delegate_list", "Delegates"),
        ("centres:support_tickets", "support ticket"),
        ("centres:audit_trail", "Audit trail"),
        ("passports:enrolment_list", "Enrolments"),
    ),
)
CENTRE_MANAGER = HelpSection(
    "centre-manager",
    "Help for centre managers",
    (("centres:locked_accounts", "Locked accounts"), ("centres:roles", "Roles")),
)
PLATFORM_STAFF = HelpSection(
    "platform-staff",
    "Help for platform staff",
    (
        ("platform:centres", "Centres"),
        ("platform:support_tickets", "support tickets"),
        ("platform:notices", "notices"),
        ("frameworks:list", "frameworks"),
    ),
)
FIND_YOUR_CENTRE = HelpSection("find-your-centre", "Find your centre", (("directory:list", "Find your centre"),))

ALL_SECTIONS = [LEARNER, ASSESSOR, EDUCATOR, ADMINISTRATOR, CENTRE_MANAGER, PLATFORM_STAFF, FIND_YOUR_CENTRE]
ROLE_SECTIONS = {
    Role.ASSESSOR: ASSESSOR,
    Role.EDUCATOR: EDUCATOR,
    Role.ADMINISTRATOR: ADMINISTRATOR,
    Role.CENTRE_MANAGER: CENTRE_MANAGER,
}


def sections_for(
    *, authenticated: bool, roles: set[Role], is_learner: bool, is_platform_staff: bool
) -> tuple[list[HelpSection], list[HelpSection]]:
    """(the person's sections, every other section). Visitors who are not logged in get the
    learner and Find your centre help only."""
    if not authenticated:
        return [LEARNER, FIND_YOUR_CENTRE], []
    yours = [section for role, section in ROLE_SECTIONS.items() if role in roles]
    if Role.CENTRE_MANAGER in roles and ADMINISTRATOR not in yours:
        yours.insert(0, ADMINISTRATOR)  # a centre manager does everything an administrator does
    # Most senior role first: a centre manager reads their own section before the learner's.
    yours.reverse()
    if is_platform_staff:
        yours.insert(0, PLATFORM_STAFF)
    if is_learner or not yours:
        yours.append(LEARNER)
    others = [section for section in ALL_SECTIONS if section not in yours]
    return yours, others
