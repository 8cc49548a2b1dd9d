"""C10 centre configuration: a summary page with change links to small forms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from centres import configuration
from centres.forms.configuration import (
    NotifyEmailForm,
    PromptForm,
    PublicDetailsForm,
    RemovePromptForm,
    SupportDetailsForm,
)
from centres.models import RegistrationPrompt
from centres.permissions import permission_required
from centres.roles import Permission
from centres.services.errors import CentreServiceError
from submissions.tokens import once_per_submission

SUMMARY = "centres:configuration"


def _form_page(request, template: str, context: dict):
    """The form page; 400 when the form has errors (the page shows the error summary)."""
    return render(request, template, context, status=400 if context["form"].errors else 200)


def _apply(request, form, call, *, field: str | None = None) -> bool:
    """Run a service; a refusal becomes an error on the form (shown in the error summary)."""
    try:
        call()
    except CentreServiceError as error:
        form.add_error(field, str(error))
        return False
    return True


@permission_required(Permission.CONFIGURE_CENTRE)
@require_GET
def summary(request):
    rows = configuration.prompt_rows(centre=request.centre)
    return render(
        request,
        "centres/configuration/summary.html",
        {
            "prompt_rows": rows,
            "can_add_prompt": len(rows) < RegistrationPrompt.MAX_PROMPTS,
            "max_prompts": RegistrationPrompt.MAX_PROMPTS,
        },
    )


@permission_required(Permission.CONFIGURE_CENTRE)
@require_http_methods(["GET", "POST"])
def notify_email(request):
    centre = request.centre
    form = NotifyEmailForm(request.POST or None, initial={"notify_email": centre.notify_email})
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["notify_email"]

        def call():
            configuration.centre_notify_email_update(
                centre=centre, notify_email=value, changed_by=request.user, request=request
            )

        if _apply(request, form, call, field="notify_email"):
            messages.success(request, "Notify email address saved" if value else "Notify email address removed")
            return redirect(SUMMARY)
    return _form_page(request, "centres/configuration/notify_email.html", {"form": form})


@permission_required(Permission.CONFIGURE_CENTRE)
@require_http_methods(["GET", "POST"])
def support_details(request):
    centre = request.centre
    form = SupportDetailsForm(request.POST or None, initial={"support_details": centre.support_details})
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["support_details"]

        def call():
            configuration.centre_support_details_update(
                centre=centre, support_details=value, changed_by=request.user, request=request
            )

        if _apply(request, form, call, field="support_details"):
            messages.success(request, "Support details saved. Learners see them on their home page")
            return redirect(SUMMARY)
    return _form_page(request, "centres/configuration/support_details.html", {"form": form})


@permission_required(Permission.CONFIGURE_CENTRE)
@require_http_methods(["GET", "POST"])
def public_details(request):
    centre = request.centre
    initial = {name: getattr(centre, name) for name in configuration.PUBLIC_FIELDS}
    initial["show_in_directory"] = "yes" if centre.show_in_directory else "no"
    form = PublicDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def call():
            configuration.centre_public_details_update(
                centre=centre, changed_by=request.user, request=request, **form.details()
            )

        if _apply(request, form, call):
            messages.success(request, "Find your centre details saved")
            return redirect(SUMMARY)
    return _form_page(request, "centres/configuration/public_details.html", {"form": form})


@permission_required(Permission.CONFIGURE_CENTRE)
@require_http_methods(["GET", "POST"])
@once_per_submission
def prompt_add(request):
    centre = request.centre
    count = RegistrationPrompt.objects.for_centre(centre).count()
    if count >= RegistrationPrompt.MAX_PROMPTS and request.method == "GET":
        messages.info(
            request,
            f"You already have {RegistrationPrompt.MAX_PROMPTS} registration prompts, the most a centre can have. "
            "Remove one before adding another.",
        )
        return redirect(SUMMARY)
    form = PromptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = []

        def call():
            created.append(
                configuration.registration_prompt_add(
                    centre=centre, added_by=request.user, request=request, **form.prompt_values()
                )
            )

        if _apply(request, form, call):
            messages.success(request, f"Registration prompt “{created[0].text}” added")
            return redirect(SUMMARY)
    template = "centres/configuration/prompt_form.html"
    context = {"form": form, "prompt": None}
    return _form_page(request, template, context)


def _prompt(request, prompt_id) -> RegistrationPrompt:
    return get_object_or_404(
        RegistrationPrompt.objects.for_centre(request.centre).select_related("centre"), public_id=prompt_id
    )


@permission_required(Permission.CONFIGURE_CENTRE)
@require_http_methods(["GET", "POST"])
def prompt_edit(request, prompt_id):
    prompt = _prompt(request, prompt_id)
    form = PromptForm(request.POST or None, initial=PromptForm.initial_for(prompt))
    if request.method == "POST" and form.is_valid():

        def call():
            configuration.registration_prompt_update(
                prompt=prompt, changed_by=request.user, request=request, **form.prompt_values()
            )

        if _apply(request, form, call):
            messages.success(request, f"Registration prompt “{prompt.text}” saved")
            return redirect(SUMMARY)
    template = "centres/configuration/prompt_form.html"
    context = {"form": form, "prompt": prompt, "answer_count": configuration.prompt_answer_count(prompt=prompt)}
    return _form_page(request, template, context)


@permission_required(Permission.CONFIGURE_CENTRE)
@require_http_methods(["GET", "POST"])
def prompt_remove(request, prompt_id):
    """A confirmation page that says how many delegates answered; removing clears those answers."""
    prompt = _prompt(request, prompt_id)
    answer_count = configuration.prompt_answer_count(prompt=prompt)
    form = RemovePromptForm(request.POST or None, initial={"answers_confirmed": answer_count})
    if request.method == "POST" and form.is_valid():
        text = prompt.text

        def call():
            configuration.registration_prompt_remove(
                prompt=prompt,
                answers_confirmed=form.cleaned_data["answers_confirmed"],
                removed_by=request.user,
                request=request,
            )

        if _apply(request, form, call):
            message = f"Registration prompt “{text}” removed"
            if answer_count:
                message += f" and {answer_count} answer{'' if answer_count == 1 else 's'} cleared"
            messages.success(request, message)
            return redirect(SUMMARY)
        # More answers arrived since the page was shown: show the new number and ask again.
        form = RemovePromptForm(initial={"answers_confirmed": answer_count})
        messages.error(
            request, "More delegates have answered this prompt since you opened this page. Check and confirm again."
        )
        return render(
            request,
            "centres/configuration/prompt_remove.html",
            {"prompt": prompt, "answer_count": answer_count, "form": form},
            status=409,
        )
    return render(
        request,
        "centres/configuration/prompt_remove.html",
        {"prompt": prompt, "answer_count": answer_count, "form": form},
    )
