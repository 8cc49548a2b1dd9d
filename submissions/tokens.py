"""Once per submission.

A create form renders `{{ submission_field() }}`: a hidden field with a new random token per
render. Its view is wrapped in `once_per_submission`: the first POST of a token inserts a
`SubmissionToken` row (unique) in the same transaction as whatever the view saves, and
records where the view redirected. A repeat POST of the same token (a double click, the back
button, a retried request) saves nothing and is redirected to where the first one went, with
"already saved". Two copies in flight at once: the second one's insert waits on the unique
index until the first commits, then fails and is redirected the same way; if the first one
failed and rolled back, the second one is saved instead. A POST without a token (an old page,
a script) is handled as before.
"""

import logging
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from markupsafe import Markup

from submissions.models import SubmissionToken

logger = logging.getLogger(__name__)

FIELD_NAME = "submission_token"
ALREADY_SAVED = "This was already saved. The same form sent again is not saved twice."
# How long a token is remembered: long enough for the back button and a resend next morning.
KEEP_FOR = timedelta(days=7)
_TOKEN = re.compile(r"[0-9a-f]{32}")


def submission_field() -> Markup:
    """The hidden field for a create form (a Jinja global): a new token on every render."""
    return Markup(f'<input type="hidden" name="{FIELD_NAME}" value="{uuid.uuid4().hex}">')  # noqa: S704 - a uuid


def submission_token(request) -> str | None:
    if request.method != "POST":
        return None
    token = request.POST.get(FIELD_NAME, "")
    return token if _TOKEN.fullmatch(token) else None


def _owner(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _already_saved(request, token: str):
    earlier = SubmissionToken.objects.filter(token=token).first()
    owner = _owner(request)
    same_person = earlier is not None and earlier.user_id == (owner.pk if owner else None)
    target = earlier.result_url if same_person and earlier.result_url else request.get_full_path()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = request.get_full_path()
    messages.info(request, ALREADY_SAVED)
    logger.info("Repeated submission of %s ignored", request.path)
    return redirect(target)


def _error_message_queued(request) -> bool:
    """Whether the view refused with `messages.error(...)` and a redirect. The message storage
    keeps this request's messages in `_queued_messages` (not public API, but stable since
    Django 1.2); iterating the storage instead would mark them read."""
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return any(message.level >= messages.ERROR for message in queued)


def once_per_submission(view: Callable) -> Callable:
    """Wrap a view that creates something so that each rendered form is saved at most once."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = submission_token(request)
        if token is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = SubmissionToken.objects.create(token=token, user=_owner(request), path=request.path[:500])
            except IntegrityError:
                return _already_saved(request, token)
            response = view(request, *args, **kwargs)
            if response.status_code >= 400 or _error_message_queued(request):
                # Nothing was saved (the form is shown again with its errors, under a new token,
                # or the view redirected with an error message): a repeat may try again.
                row.delete()
            else:
                location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
                row.result_url = location[:2000] or request.get_full_path()[:2000]
                row.save(update_fields=["result_url"])
            return response

    wrapped.once_per_submission = True
    return wrapped


def submission_tokens_expire(*, now=None) -> int:
    """Forget tokens older than KEEP_FOR (hourly beat job)."""
    now = now or timezone.now()
    deleted, _ = SubmissionToken.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
