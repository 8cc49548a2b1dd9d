"""eLearning on the home page and in the header (issue 16 item 1): for people with a current
site staff record, their modules' progress and a link to carry on."""

from django.urls import reverse

from elearning.access import is_learner
from elearning.selectors.learning import learner_dashboard


def is_learner_request(request) -> bool:
    return is_learner(request.user)


def elearning_section(request) -> dict | None:
    if not is_learner(request.user):
        return None
    states = learner_dashboard(request.user)
    required = [state for state in states if state.module.is_required]
    done = sum(1 for state in required if state.completed_at)
    next_state = next((state for state in required if not state.completed_at), None)
    return {
        "modules": states,
        "required_done": done,
        "required_total": len(required),
        "next_module": next_state.module if next_state else None,
        "href": reverse("elearning:dashboard"),
    }
