"""E1 authoring URLs (platform staff), included from `elearning/platform_urls.py`."""

from django.urls import path

from elearning.views import modules

urlpatterns = [
    path("modules/", modules.module_list, name="modules"),
    path("modules/new/", modules.module_create, name="module_create"),
    path("modules/<uuid:module_id>/", modules.module_edit, name="module"),
    path("modules/<uuid:module_id>/lessons/new/", modules.lesson_create, name="lesson_create"),
    path("modules/<uuid:module_id>/lessons/<uuid:lesson_id>/", modules.lesson_edit, name="lesson"),
    path("modules/<uuid:module_id>/lessons/<uuid:lesson_id>/move/", modules.lesson_move, name="lesson_move"),
    path("modules/<uuid:module_id>/lessons/<uuid:lesson_id>/delete/", modules.lesson_delete, name="lesson_delete"),
    path("modules/<uuid:module_id>/questions/new/", modules.question_create, name="question_create"),
    path("modules/<uuid:module_id>/questions/<uuid:check_question_id>/", modules.question_edit, name="question"),
    path(
        "modules/<uuid:module_id>/questions/<uuid:check_question_id>/delete/",
        modules.question_delete,
        name="question_delete",
    ),
]
