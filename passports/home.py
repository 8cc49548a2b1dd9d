"""The learner's section of the home page (issue 16 item 1): each current passport at this
centre with its progress bar, complete-by date and the next thing to do (one query)."""

from django.urls import reverse

from passports.models import Enrolment
from passports.selectors.learner import learner_enrolments


def _next_step(enrolment, progress) -> str:
    if enrolment.signed_off_at:
        return "Signed off: download your certificate"
    if progress.total and progress.confirmed == progress.total:
        return "Ask your educator to sign off your passport"
    if progress.answered < progress.total:
        return "Self-assess your next proficiency"
    return "Ask a supervisor to confirm your results"


def passports_section(request) -> dict | None:
    """None for someone with no passport here who holds a role (they came for that work) or at a
    centre that enrols nobody; for a delegate with no role, an empty list says what happens next."""
    enrolments = learner_enrolments(centre=request.centre, user=request.user)
    if not enrolments and (
        request.centre_access.roles
        or request.user.is_staff
        or not Enrolment.objects.for_centre(request.centre).exists()  # e.g. a care record site
    ):
        return None  # someone with no passport who came for other work: nothing to say
    rows = [
        {
            "enrolment": enrolment,
            "progress": progress,
            "href": reverse("passports:learner_passport", kwargs={"enrolment_id": enrolment.public_id}),
            "next_step": _next_step(enrolment, progress),
        }
        for enrolment, progress in enrolments
    ]
    return {"rows": rows, "centre": request.centre}
