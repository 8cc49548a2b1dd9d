"""The register's administration (administrators only): the referral form and its extra
questions (R3), notifications (R4), users (R2) and the audit trail (R11)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from centres.models import Centre
from centres.roles import Permission
from core.forms import form_add_service_error
from core.presenters import page_links
from referrals.access import register_role_required
from referrals.forms.administration import UserAddForm, UserEditForm
from referrals.forms.audit import AuditFilterForm
from referrals.forms.settings import FormSettingsForm, NotificationSettingsForm, QuestionForm
from referrals.models import ExtraQuestion
from referrals.selectors import administration as selectors
from referrals.services import administration as services
from referrals.services import register_users
from referrals.services.administration import AdministrationError
from submissions.tokens import once_per_submission

administrator_required = register_role_required(Permission.ADMINISTER_REGISTER)
USERS_PER_PAGE = 25
EVENTS_PER_PAGE = 50


def _organisations_queryset(access):

    return Centre.objects.filter(pk__in=access.organisation_ids).order_by("name")  # platform data: the list


def _question_or_404(access, question_id) -> ExtraQuestion:
    question = ExtraQuestion.objects.filter(register=access.register, public_id=question_id).first()
    if question is None:
        raise Http404("No question here")
    return question


def _status(form) -> int:
    return 400 if form.errors else 200


@administrator_required
@require_GET
def administration(request):
    access = request.register_access
    register = access.register
    questions = list(ExtraQuestion.objects.filter(register=register).order_by("-is_active", "position", "created_at"))
    context = {
        "access": access,
        "register": register,
        "questions": questions,
        "active_questions": sum(1 for question in questions if question.is_active),
        "user_count": selectors.register_users(access=access).count(),
        "recipients": _recipients_words(register),
    }
    return render(request, "referrals/administration/home.html", context)


def _recipients_words(register) -> list[str]:
    words = []
    if register.notify_team_inbox and register.team_inbox:
        words.append(f"the team inbox ({register.team_inbox})")
    if register.notify_submitter:
        words.append("the person who made the referral")
    if register.notify_administrators:
        words.append("the administrators")
    if register.notify_other_addresses:
        count = len(register.notify_other_addresses)
        words.append(f"{count} other address{'' if count == 1 else 'es'}")
    return words


@administrator_required
@require_http_methods(["GET", "POST"])
def form_settings(request):
    access = request.register_access
    if request.method == "POST":
        form = FormSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.register_form_update(access=access, request=request, **form.values())
            except AdministrationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, "The referral form is saved.")
                return redirect("referrals:administration")
    else:
        form = FormSettingsForm(initial=FormSettingsForm.initial_for(access.register))
    return render(request, "referrals/administration/form_settings.html", {"form": form}, status=_status(form))


@administrator_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def question_create(request):
    access = request.register_access
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question = services.extra_question_create(access=access, request=request, **form.values())
            except AdministrationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, f"“{question.text}” is added to the referral form.")
                return redirect("referrals:administration")
    else:
        next_position = ExtraQuestion.objects.filter(register=access.register).count() + 1
        form = QuestionForm(initial={"kind": ExtraQuestion.Kind.TEXT, "is_mandatory": "no", "position": next_position})
    context = {"form": form, "question": None}
    return render(request, "referrals/administration/question.html", context, status=_status(form))


@administrator_required
@require_http_methods(["GET", "POST"])
def question_edit(request, question_id):
    access = request.register_access
    question = _question_or_404(access, question_id)
    if request.method == "POST":
        form = QuestionForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.extra_question_update(access=access, question=question, request=request, **form.values())
            except AdministrationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, f"“{question.text}” is saved.")
                return redirect("referrals:administration")
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question), editing=True)
    context = {"form": form, "question": question}
    return render(request, "referrals/administration/question.html", context, status=_status(form))


@administrator_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    access = request.register_access
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.register_notifications_update(access=access, request=request, **form.values())
            except AdministrationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, "New referral notifications are saved.")
                return redirect("referrals:administration")
    else:
        form = NotificationSettingsForm(initial=NotificationSettingsForm.initial_for(access.register))
    return render(request, "referrals/administration/notifications.html", {"form": form}, status=_status(form))


# -- R2 users -----------------------------------------------------------------------------------


@administrator_required
@require_GET
def users(request):
    access = request.register_access
    page = Paginator(selectors.register_users(access=access), USERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "people": selectors.register_users_describe(access=access, users=page.object_list),
        "pages": page_links(page, ""),
    }
    return render(request, "referrals/administration/users.html", context)


@administrator_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def user_add(request):
    access = request.register_access
    organisations = _organisations_queryset(access)
    if request.method == "POST":
        form = UserAddForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = register_users.register_user_add(
                    access=access,
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    organisation=data["organisation"],
                    role=data["role"],
                    limited_to=form.limited_to(),
                    request=request,
                )
            except AdministrationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, f"{user.get_full_name()} is added and has been emailed.")
                return redirect("referrals:users")
    else:
        initial = {"organisation": access.centre.pk} if access.centre.pk in access.organisation_ids else {}
        form = UserAddForm(initial=initial, organisations=organisations)
    return render(request, "referrals/administration/user_add.html", {"form": form}, status=_status(form))


@administrator_required
@require_http_methods(["GET", "POST"])
def user_edit(request, user_id):
    access = request.register_access
    person = selectors.register_user_for_access(access=access, user_id=user_id)
    if person is None:
        raise Http404("No register user here")
    organisations = _organisations_queryset(access)
    initial = {"role": person.role.value, "limited_to": [centre.pk for centre in person.limited_to]}
    remove_error = ""
    if request.method == "POST" and "remove" in request.POST:
        try:
            register_users.register_user_remove(access=access, person=person, request=request)
        except AdministrationError as error:
            remove_error = str(error)
        else:
            messages.success(request, f"{person.user.get_full_name()} is no longer a user of the register.")
            return redirect("referrals:users")
        form = UserEditForm(organisations=organisations, initial=initial)
    elif request.method == "POST":
        form = UserEditForm(request.POST, organisations=organisations, initial=initial)
        if form.is_valid():
            try:
                register_users.register_user_update(
                    access=access,
                    person=person,
                    role=form.cleaned_data["role"],
                    limited_to=form.limited_to(),
                    request=request,
                )
            except AdministrationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, f"{person.user.get_full_name()}'s access is saved.")
                return redirect("referrals:users")
    else:
        form = UserEditForm(organisations=organisations, initial=initial)
    context = {
        "form": form,
        "person": person,
        "is_self": person.user.pk == request.user.pk,
        "remove_error": remove_error,
    }
    status = 400 if form.errors or remove_error else 200
    return render(request, "referrals/administration/user_edit.html", context, status=status)


# -- R11 audit ----------------------------------------------------------------------------------


def _audit_filters(access, form: AuditFilterForm) -> dict | None:
    """The selector's arguments from a valid form; None (with an error on the form) when the
    reference names no referral this person may open."""
    data = form.cleaned_data
    filters = {
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "action": data.get("action") or "",
        "person": (data.get("person") or "").strip(),
    }
    reference = (data.get("reference") or "").strip()
    if reference:
        public_id = selectors.referral_public_id_for_reference(access=access, reference=reference)
        if public_id is None:
            form.add_error(
                "reference", f"No referral you can see has the reference {reference}. Check it and try again"
            )
            return None
        filters["referral_public_id"] = public_id
    return filters


@administrator_required
@require_GET
def audit(request):
    access = request.register_access
    form = AuditFilterForm(request.GET or None)
    filters = _audit_filters(access, form) if form.is_valid() else None
    if filters is None and form.is_bound and form.errors:
        page, query = None, ""
    else:
        events = selectors.register_audit_events(access=access, **(filters or {}))
        page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        query = query.urlencode()
    context = {
        "form": form,
        "page": page,
        "pages": page_links(page, query) if page else {},
        "query": query,
        "audit_action_label": selectors.audit_action_label,
    }
    return render(request, "referrals/administration/audit.html", context, status=_status(form))


@administrator_required
@require_http_methods(["GET", "POST"])
def audit_export(request):
    """R11: the filtered events (filters in the query string) as Excel, built by a worker; the
    report page shows progress. Only a POST (the audit page's button) asks for it: a GET just
    shows the audit page (ADR 0017)."""
    if request.method != "POST":
        query = request.GET.urlencode()
        return redirect(reverse("referrals:audit") + (f"?{query}" if query else ""))
    access = request.register_access
    form = AuditFilterForm(request.GET)
    filters = _audit_filters(access, form) if form.is_valid() else None
    if filters is None:
        context = {
            "form": form,
            "page": None,
            "pages": {},
            "query": "",
            "audit_action_label": selectors.audit_action_label,
        }
        return render(request, "referrals/administration/audit.html", context, status=400)
    job = services.register_audit_export_request(
        access=access,
        filters=services.audit_filters_for_job(filters),
        filter_summary=form.summary(),
        request=request,
    )
    return redirect("reporting:job", job_id=job.public_id)
