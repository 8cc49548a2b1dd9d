"""Demo data for passports: the Step 1 proficiencies (670 items, the real framework) and our
small IV Therapy Passport, both published; then, at LTHT, a passport in progress to look at
from every side. Called by `manage.py seed_demo` through `PassportsConfig.seed_demo`.
Everything goes through the services (audit events, history rows, emails in the outbox), and
running it again changes nothing: a framework is loaded only when none of that name exists,
and each learner's enrolment is made only when they have none on that framework."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from centres.models import Centre, Membership
from passports.models import ConfirmationItem, Enrolment, Framework, Result
from passports.services.assessment import result_assess
from passports.services.confirmation import confirmation_request_create
from passports.services.enrolment import enrolment_create
from passports.services.framework_json import framework_json_parse, framework_load
from passports.services.review import results_review
from passports.services.staff import staff_entries_add
from passports.services.supervisors import supervisor_add

DATA = Path(__file__).resolve().parent / "data"
STEP1 = "Step 1 proficiencies"
IV_THERAPY = "IV Therapy Passport"
DEMO_FRAMEWORKS = [
    (STEP1, DATA / "step1-proficiencies.json"),
    (IV_THERAPY, DATA / "iv-therapy-passport.json"),
]

# The people (see centres/management/commands/seed_demo.py), all at LTHT.
DEMO_CENTRE = "LTHT"
EDUCATOR = "priya.raman@ltht.nhs.example"
ASSESSOR = "tom.underwood@ltht.nhs.example"
LEARNER = "grace.okafor@ltht.nhs.example"  # IV Therapy Passport, well under way
NEW_LEARNER = "megan.price@ltht.nhs.example"  # Step 1, nothing started (has not set a password yet)

# Grace's IV Therapy Passport, by proficiency position: her answer and note, then what
# happens next. "confirmed" and "rejected" go in one request that Tom reviews; "open" in a
# second request still waiting for Tom; "kept" stays self-assessed.
GRACE_ANSWERS = [
    (1, "achieved", "Completed the eLearning module in March.", "confirmed"),
    (2, "achieved", "", "rejected"),
    (3, "achieved", "Read the IV therapy and medicines policies on the intranet.", "open"),
    (4, "achieved", "", "open"),
    (5, "achieved", "", "kept"),
    (6, "ongoing", "Booked onto the ANTT session next month.", "kept"),
]
CONFIRM_COMMENT = "Seen the certificate; well done."
REJECT_PLAN = "Please complete the medicines management module on the eLearning hub and send this again."


def demo_frameworks_load(*, stdout=None) -> list:
    loaded = []
    for name, path in DEMO_FRAMEWORKS:
        if Framework.objects.filter(name=name).exists():
            continue
        rows, prerequisites = framework_json_parse(json.loads(path.read_text(encoding="utf-8")))
        outcome = framework_load(name=name, rows=rows, prerequisites_html=prerequisites, publish=True)
        loaded.append(outcome.version)
        if stdout is not None:
            stdout.write(f"Framework: {outcome.message}")
    return loaded


def _membership(centre: Centre, email: str) -> Membership | None:
    return (
        Membership.objects.for_centre(centre)
        .filter(user__email=email, is_approved=True, is_active=True)
        .select_related("user")
        .first()
    )


def _result(enrolment: Enrolment, position: int) -> Result:
    return Result.objects.for_centre(enrolment.centre).get(enrolment=enrolment, proficiency__position=position)


def _grace_progress(*, enrolment: Enrolment, learner: User, assessor: User) -> None:
    """Self-assess, ask Tom twice, Tom confirms one and rejects one of the first request."""
    for position, answer, note, _ in GRACE_ANSWERS:
        result_assess(result=_result(enrolment, position), answer=answer, action_plan=note, actor=learner)
    supervisor_add(enrolment=enrolment, user=assessor, added_by=learner)

    def send(outcome: str):
        results = [_result(enrolment, pos) for pos, _, _, then in GRACE_ANSWERS if then in outcome.split()]
        return confirmation_request_create(enrolment=enrolment, supervisor=assessor, results=results, actor=learner)

    reviewed = send("confirmed rejected")
    items = {
        item.result.proficiency.position: item.pk
        for item in ConfirmationItem.objects.for_centre(enrolment.centre)
        .filter(request=reviewed)
        .select_related("result__proficiency")
    }
    by_outcome = {then: position for position, _, _, then in GRACE_ANSWERS}
    results_review(
        confirmation_request=reviewed,
        confirm={items[by_outcome["confirmed"]]: CONFIRM_COMMENT},
        reject={items[by_outcome["rejected"]]: REJECT_PLAN},
        actor=assessor,
    )
    send("open")


@transaction.atomic
def demo_passports_load(*, stdout=None) -> list[Enrolment]:
    """At LTHT: Priya (educator) has Grace and Megan on her staff list; Grace is on the IV
    Therapy Passport (complete by in three months) with answers, one result confirmed and one
    rejected with an action plan by Tom (assessor), and a request waiting for Tom; Megan is on
    Step 1 with nothing started. Skipped when the demo centre or people are missing, or when
    the setting PASSPORTS_DEMO_ENROLMENTS is False (the browser tests start without it)."""
    if not getattr(settings, "PASSPORTS_DEMO_ENROLMENTS", True):
        return []
    centre = Centre.objects.filter(code=DEMO_CENTRE).first()
    if centre is None:
        return []
    educator = User.objects.filter(email=EDUCATOR).first()
    assessor = User.objects.filter(email=ASSESSOR).first()
    grace = _membership(centre, LEARNER)
    megan = _membership(centre, NEW_LEARNER)
    if None in (educator, assessor, grace, megan):
        return []
    frameworks = {framework.name: framework for framework in Framework.objects.filter(name__in=[STEP1, IV_THERAPY])}
    if len(frameworks) != 2:
        return []
    staff_entries_add(centre=centre, educator=educator, emails_text=f"{LEARNER}\n{NEW_LEARNER}")
    today = timezone.localdate()
    made = []
    for membership, name, complete_by in (
        (grace, IV_THERAPY, today + datetime.timedelta(days=90)),
        (megan, STEP1, today + datetime.timedelta(days=365)),
    ):
        framework = frameworks[name]
        if Enrolment.objects.for_centre(centre).filter(membership=membership, framework=framework).exists():
            continue
        enrolment = enrolment_create(
            centre=centre, membership=membership, framework=framework, complete_by=complete_by, enrolled_by=educator
        )
        if membership == grace:
            _grace_progress(enrolment=enrolment, learner=grace.user, assessor=assessor)
        made.append(enrolment)
        if stdout is not None:
            stdout.write(f"Passport: {membership.user.get_full_name()} enrolled on {name} at {centre.code}")
    return made
