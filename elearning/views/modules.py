"""E1 authoring pages (platform staff, /platform/elearning/modules/): modules, their lessons in
order and their knowledge-check questions. Modules are platform content: every view is for
platform staff (`platform_staff_required`, 403 for every centre role)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import platform_staff_required
from core.exceptions import ServiceError
from core.forms import form_add_service_error
from elearning.forms.modules import LessonForm, ModuleForm, QuestionForm
from elearning.models import Lesson
from elearning.selectors import modules as selectors
from elearning.services import modules as services
from submissions.tokens import once_per_submission


def _form_page(request, template: str, context: dict):
    form = context.get("form")
    return render(request, template, context, status=400 if form is not None and form.errors else 200)


@platform_staff_required
@require_GET
def module_list(request):
    return render(request, "elearning/modules/list.html", {"modules": selectors.modules_for_authoring()})


@platform_staff_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def module_create(request):
    form = ModuleForm(request.POST or None, initial=ModuleForm.initial_for(None))
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_create(actor=request.user, request=request, **form.service_values())
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, f"{module.title} is saved. Add its lessons, then publish it.")
            return redirect("elearning_platform:module", module_id=module.public_id)
    return _form_page(request, "elearning/modules/module_form.html", {"form": form, "module": None})


@platform_staff_required
@require_http_methods(["GET", "POST"])
def module_edit(request, module_id):
    module = selectors.module_get(module_id=module_id)
    form = ModuleForm(request.POST or None, initial=ModuleForm.initial_for(module))
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(module=module, actor=request.user, request=request, **form.service_values())
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['title']} is saved.")
            return redirect("elearning_platform:module", module_id=module.public_id)
    context = {
        "form": form,
        "module": module,
        "lessons": list(module.lessons.order_by("position", "id")),
        "questions": list(module.questions.order_by("position", "id")),
    }
    return _form_page(request, "elearning/modules/module_form.html", context)


@platform_staff_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def lesson_create(request, module_id):
    module = selectors.module_get(module_id=module_id)
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in Lesson.Kind.values:
        return render(request, "elearning/modules/lesson_kind.html", {"module": module})
    form = LessonForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_create(
                module=module, actor=request.user, kind=kind, request=request, **form.cleaned_data
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, f"Lesson {lesson.title} is added.")
            return redirect("elearning_platform:module", module_id=module.public_id)
    return _form_page(
        request, "elearning/modules/lesson_form.html", {"form": form, "module": module, "lesson": None, "kind": kind}
    )


@platform_staff_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, module_id, lesson_id):
    module = selectors.module_get(module_id=module_id)
    lesson = selectors.module_lesson_get(module=module, lesson_id=lesson_id)
    initial = {
        "title": lesson.title,
        "video_url": lesson.video_url,
        "transcript": lesson.transcript,
        "body_html": lesson.body_html,
    }
    form = LessonForm(request.POST or None, kind=lesson.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_update(lesson=lesson, actor=request.user, request=request, **form.cleaned_data)
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, f"Lesson {lesson.title} is saved.")
            return redirect("elearning_platform:module", module_id=module.public_id)
    context = {"form": form, "module": module, "lesson": lesson, "kind": lesson.kind}
    return _form_page(request, "elearning/modules/lesson_form.html", context)


@platform_staff_required
@require_POST
def lesson_move(request, module_id, lesson_id):
    module = selectors.module_get(module_id=module_id)
    lesson = selectors.module_lesson_get(module=module, lesson_id=lesson_id)
    services.lesson_move(lesson=lesson, actor=request.user, up=request.POST.get("direction") == "up", request=request)
    return redirect("elearning_platform:module", module_id=module.public_id)


@platform_staff_required
@require_http_methods(["GET", "POST"])
def lesson_delete(request, module_id, lesson_id):
    module = selectors.module_get(module_id=module_id)
    lesson = selectors.module_lesson_get(module=module, lesson_id=lesson_id)
    if request.method == "POST":
        try:
            services.lesson_delete(lesson=lesson, actor=request.user, request=request)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Lesson {lesson.title} is deleted.")
        return redirect("elearning_platform:module", module_id=module.public_id)
    return render(request, "elearning/modules/lesson_delete.html", {"module": module, "lesson": lesson})


@platform_staff_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def question_create(request, module_id):
    module = selectors.module_get(module_id=module_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(module=module, actor=request.user, request=request, **form.service_values())
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, "The question is added to the knowledge check.")
            return redirect("elearning_platform:module", module_id=module.public_id)
    return _form_page(
        request, "elearning/modules/question_form.html", {"form": form, "module": module, "question": None}
    )


@platform_staff_required
@require_http_methods(["GET", "POST"])
def question_edit(request, module_id, check_question_id):
    module = selectors.module_get(module_id=module_id)
    question = selectors.module_question_get(module=module, question_id=check_question_id)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, actor=request.user, request=request, **form.service_values())
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, "The question is saved.")
            return redirect("elearning_platform:module", module_id=module.public_id)
    context = {"form": form, "module": module, "question": question}
    return _form_page(request, "elearning/modules/question_form.html", context)


@platform_staff_required
@require_http_methods(["GET", "POST"])
def question_delete(request, module_id, check_question_id):
    module = selectors.module_get(module_id=module_id)
    question = selectors.module_question_get(module=module, question_id=check_question_id)
    if request.method == "POST":
        services.question_delete(question=question, actor=request.user, request=request)
        messages.success(request, "The question is deleted.")
        return redirect("elearning_platform:module", module_id=module.public_id)
    return render(request, "elearning/modules/question_delete.html", {"module": module, "question": question})
