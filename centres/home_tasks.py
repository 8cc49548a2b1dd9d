"""What platform staff are offered on the dashboard, registered from each app's
AppConfig.ready() (ADR 0025), so the dashboard names no feature app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class PlatformTask:
    link_text: str  # "Answer support tickets"
    url_name: str
    rest: str = ""  # the words after the link: "from centres"
    count: Callable[[], int] | None = None  # how many wait, shown as "(3 waiting for an answer)"
    count_label: str = ""
    order: int = 1000


_PLATFORM_TASKS: dict[str, PlatformTask] = {}


def platform_task_register(*tasks: PlatformTask) -> None:
    for task in tasks:
        _PLATFORM_TASKS[task.url_name] = task


def platform_tasks() -> list[dict]:
    """The dashboard's list for platform staff, in order, with the counts worked out now."""
    rows = []
    for task in sorted(_PLATFORM_TASKS.values(), key=lambda task: task.order):
        rows.append(
            {
                "href": reverse(task.url_name),
                "link_text": task.link_text,
                "rest": task.rest,
                "count": task.count() if task.count is not None else None,
                "count_label": task.count_label,
            }
        )
    return rows


CENTRES_PLATFORM_TASKS = [
    PlatformTask("Post a system notice", "platform:notices", "to every dashboard", order=20),
    PlatformTask(
        "Go to the platform admin", "admin:index", "to manage centres, users and the email outbox", order=90
    ),
]
