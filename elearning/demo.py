"""eLearning demo for `manage.py seed_demo` (issue 14), loaded through the services: the Leeds
Care Record modules (`demo_modules.py`), a care record site with an account authoriser, staff at
different points of the eLearning, open and historic invitations, and requests in the central
team's queue. Running it again changes nothing."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from centres.grants import role_assignment_add
from centres.models import Centre
from centres.ownership import person_create_self
from centres.roles import Role
from centres.services.centres import centre_create
from elearning.demo_modules import demo_modules_load
from elearning.models import AccountRequest, Invitation, Module, SiteStaff
from elearning.selectors.learning import learner_module_state, module_questions
from elearning.services.invitations import invitation_create, invitation_withdraw
from elearning.services.invitations_response import (
    InvitationDetails,
    invitation_accept_with_password,
    invitation_reject,
)
from elearning.services.learning import knowledge_check_submit, lesson_complete
from elearning.services.queue import account_request_status_set
from elearning.services.staff import site_staff_change_request

SITE_CODE = "LEEDSGP"
SITE_NAME = "Leeds GP Confederation"
DOMAIN = "leedsgp.nhs.example"
DEMO_PASSWORD = "demo-passport-2026"  # noqa: S105 - the demo's published password (README)
AUTHORISER = ("Nadia", "Khan")
# (first name, last name, job title, job category, how many modules they have completed)
STAFF = [
    ("Olivia", "Bennett", "Practice nurse", "nurse", 3),
    ("Ravi", "Mistry", "GP registrar", "doctor", 3),
    ("Samuel", "Osei", "Healthcare assistant", "healthcare_support", 1),
    ("Hannah", "Price", "Receptionist", "admin_clerical", 0),
]


def _email(first: str, last: str) -> str:
    return f"{first}.{last}@{DOMAIN}".lower()


def _modules_complete(user, count: int) -> None:
    """Complete the first `count` published modules as the learner would."""
    for module in Module.objects.filter(is_published=True).order_by("position", "title")[:count]:
        for lesson in module.lessons.order_by("position", "id"):
            lesson_complete(user=user, lesson=lesson)
        questions = module_questions(module)
        if questions and not learner_module_state(user, module_id=module.public_id).completed_at:
            answers = {str(question.public_id): question.correct_choice for question in questions}
            knowledge_check_submit(user=user, module=module, answers=answers)


def _staff_join(site: Centre, authoriser, first: str, last: str, title: str, category: str) -> SiteStaff:
    sent = invitation_create(
        site=site,
        invited_by=authoriser,
        first_name=first,
        last_name=last,
        email=_email(first, last),
        contact_number="0113 206 0000",
        job_title=title,
        job_category=category,
    )
    details = InvitationDetails(
        first_name=first, last_name=last, contact_number="0113 206 0000", job_title=title, job_category=category
    )
    _user, staff = invitation_accept_with_password(invitation=sent.invitation, details=details, password=DEMO_PASSWORD)
    return staff


def _invite(site: Centre, authoriser, first: str, last: str, title: str) -> Invitation:
    return invitation_create(
        site=site,
        invited_by=authoriser,
        first_name=first,
        last_name=last,
        email=_email(first, last),
        contact_number="0113 206 0001",
        job_title=title,
        job_category="admin_clerical",
    ).invitation


def demo_elearning_load(*, stdout) -> None:
    demo_modules_load(stdout=stdout)
    if Centre.objects.filter(code=SITE_CODE).exists():
        stdout.write("eLearning demo site is already loaded.")
        return
    staff_user = User.objects.get(email="platform.staff@platform.nhs.example")
    site = centre_create(code=SITE_CODE, name=SITE_NAME, email=f"care.record@{DOMAIN}", actor=staff_user)
    first, last = AUTHORISER
    # Through the account-ownership module, as a person creating their own account.
    authoriser = person_create_self(email=_email(first, last), first_name=first, last_name=last, password=DEMO_PASSWORD)
    EmailAddress.objects.filter(user=authoriser, email=authoriser.email).update(verified=True)
    role_assignment_add(user=authoriser, centre=site, role=Role.AUTHORISER, granted_by=staff_user)

    people = {}
    for first, last, title, category, completed in STAFF:
        staff = _staff_join(site, authoriser, first, last, title, category)
        _modules_complete(staff.user, completed)
        people[first] = staff
    # Olivia's "create account" request was worked; Ravi's waits in the queue.
    olivia_request = people["Olivia"].requests.get(kind=AccountRequest.Kind.CREATE_ACCOUNT)
    for status in ("in_progress", "completed"):
        account_request_status_set(account_request=olivia_request, status=status, decided_by=staff_user)
    # Samuel is off sick: deactivation requested and in progress.
    deactivate = site_staff_change_request(
        site_staff=people["Samuel"],
        kind=AccountRequest.Kind.DEACTIVATE,
        requested_by=authoriser,
        deactivation_reason=SiteStaff.DeactivationReason.SICK_LEAVE,
    )
    account_request_status_set(account_request=deactivate, status="in_progress", decided_by=staff_user)

    # Invitations: two waiting (one sent 25 days ago), one rejected, one withdrawn, one expired.
    _invite(site, authoriser, "Ben", "Carter", "Pharmacist")
    old = _invite(site, authoriser, "Grace", "Lin", "Practice manager")
    Invitation.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - timedelta(days=25), expires_at=timezone.now() + timedelta(days=5)
    )
    rejected = _invite(site, authoriser, "Tom", "Ward", "Locum GP")
    invitation_reject(invitation=rejected, reason="I have left the practice.")
    invitation_withdraw(invitation=_invite(site, authoriser, "Ama", "Boateng", "Receptionist"), withdrawn_by=authoriser)
    expired = _invite(site, authoriser, "Leo", "Hart", "Administrator")
    Invitation.objects.filter(pk=expired.pk).update(
        status=Invitation.Status.EXPIRED, expires_at=timezone.now() - timedelta(days=1)
    )
    stdout.write(
        f"eLearning: {SITE_NAME} with authoriser {authoriser.email}, {len(STAFF)} staff, 5 invitations, "
        "requests in the central team's queue."
    )
