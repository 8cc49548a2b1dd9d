"""C15: which help sections a person sees, their own roles first (presenter for /help/).

The words live in templates (centres/jinja2/centres/help/_<slug>.html); this module only
decides the order."""

from dataclasses import dataclass

from centres.roles import Role


@dataclass(frozen=True)
class HelpSection:
    slug: str
    title: str

    @property
    def template(self) -> str:
        return f"centres/help/_{self.slug}.html"


LEARNER = HelpSection("learner", "Help for learners")
ASSESSOR = HelpSection("assessor", "Help for assessors")
EDUCATOR = HelpSection("educator", "Help for educators and managers")
ADMINISTRATOR = HelpSection("administrator", "Help for administrators")
CENTRE_MANAGER = HelpSection("centre-manager", "Help for centre managers")
PLATFORM_STAFF = HelpSection("platform-staff", "Help for platform staff")
FIND_YOUR_CENTRE = HelpSection("find-your-centre", "Find your centre")

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
