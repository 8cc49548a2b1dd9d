"""E1 modules (el-modules) in the isolation walk: an unpublished module with a lesson and a
knowledge-check question. Modules are platform content, not a centre's: the authoring pages
must turn every centre role away (403), and the learner pages must answer for this draft
exactly as for an id that names nothing (404 "not available", or 403 for a non-learner)."""


def elearning_modules_world() -> dict:
    from elearning.services.modules import lesson_create, module_create, question_create
    from tests.factories import UserFactory

    author = UserFactory(platform_staff=True, email="isolation.author@platform.nhs.example")
    module = module_create(actor=author, title="Isolation draft module", summary="", is_required=True, position=0)
    lesson = lesson_create(module=module, actor=author, title="Draft lesson", kind="text", body_html="<p>Draft</p>")
    question = question_create(module=module, actor=author, text="Draft?", choices=["Yes", "No"], correct_choice=0)
    return {"elearning_module": module, "elearning_lesson": lesson, "elearning_question": question}
