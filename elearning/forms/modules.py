"""E1 forms: authoring a module, a lesson and a knowledge-check question (platform staff), and
answering a knowledge check (learners)."""

from django import forms

from core.fields import CharField
from elearning.models import Lesson, Module, Question
from elearning.services.modules import CHOICES_MAX

REQUIRED_CHOICES = [("yes", "Required: everyone must complete it"), ("no", "Optional")]


class ModuleForm(forms.Form):
    title = CharField(label="Title", max_length=Module._meta.get_field("title").max_length, owner="the module's")
    summary = CharField(
        label="Summary (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences shown on the dashboard.",
        max_length=1000,
    )
    required = forms.ChoiceField(
        label="Is this module required?",
        choices=REQUIRED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the module is required"},
    )
    position = forms.IntegerField(
        label="Order on the dashboard",
        min_value=0,
        max_value=10_000,
        help_text="Modules are listed smallest number first.",
        error_messages={
            "required": "Enter the module's order on the dashboard",
            "invalid": "Enter the order as a whole number, like 1",
            "min_value": "The order must be 0 or more",
            "max_value": "The order must be 10,000 or less",
        },
    )
    pass_mark_percent = forms.IntegerField(
        label="Knowledge check pass mark (%)",
        min_value=1,
        max_value=100,
        help_text="Used only when the module has knowledge-check questions.",
        error_messages={
            "required": "Enter the pass mark",
            "invalid": "Enter the pass mark as a whole number, like 80",
            "min_value": "The pass mark must be between 1 and 100",
            "max_value": "The pass mark must be between 1 and 100",
        },
    )
    is_published = forms.BooleanField(
        label="Published: learners see this module",
        required=False,
        help_text="A module needs at least one lesson before it can be published.",
    )

    @classmethod
    def initial_for(cls, module: Module | None) -> dict:
        if module is None:
            return {"required": "yes", "pass_mark_percent": 80}
        return {
            "title": module.title,
            "summary": module.summary,
            "required": "yes" if module.is_required else "no",
            "position": module.position,
            "pass_mark_percent": module.pass_mark_percent,
            "is_published": module.is_published,
        }

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "is_required": data["required"] == "yes",
            "position": data["position"],
            "pass_mark_percent": data["pass_mark_percent"],
            "is_published": data["is_published"],
        }


class LessonForm(forms.Form):
    title = CharField(label="Title", max_length=Lesson._meta.get_field("title").max_length, owner="the lesson's")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Lesson.Kind.VIDEO:
            self.fields["video_url"] = forms.URLField(
                label="Video address",
                assume_scheme="https",
                help_text="The https address of the video, for example on the trust's video service. "
                "Learners open it in a new tab.",
                max_length=200,
                error_messages={
                    "required": "Enter the address of the video",
                    "invalid": "Enter the video address as a web address, like https://video.example.nhs.uk/intro",
                },
            )
            self.fields["transcript"] = CharField(
                label="Captions or transcript",
                widget=forms.Textarea(attrs={"rows": 10}),
                help_text="Shown beside the video link, for people who cannot watch or hear it.",
                owner="the",
            )
        else:
            self.fields["body_html"] = CharField(
                label="Lesson text",
                widget=forms.Textarea(attrs={"rows": 14}),
                help_text="HTML: paragraphs, subheadings (h2, h3), lists, bold, italics and links. "
                "Anything else is removed.",
                owner="the",
            )

    def clean_video_url(self):
        value = self.cleaned_data["video_url"]
        if not value.lower().startswith("https://"):
            raise forms.ValidationError("Enter a video address that starts with https://")
        return value


class QuestionForm(forms.Form):
    text = CharField(
        label="Question",
        max_length=Question._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        owner="the",
    )
    correct_choice = forms.ChoiceField(
        label="Which answer is correct?",
        choices=[(str(index), f"Answer {index + 1}") for index in range(CHOICES_MAX)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the correct answer", "invalid_choice": "Select the correct answer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(CHOICES_MAX):
            self.fields[f"choice_{index + 1}"] = CharField(
                label=f"Answer {index + 1}" + ("" if index < 2 else " (optional)"),
                required=index < 2,
                max_length=300,
                owner="",
            )
        # The radios come after the answers they name.
        self.order_fields(["text", *[f"choice_{i + 1}" for i in range(CHOICES_MAX)], "correct_choice"])

    @staticmethod
    def initial_for(question: Question | None) -> dict:
        if question is None:
            return {}
        initial = {"text": question.text, "correct_choice": str(question.correct_choice)}
        for index, choice in enumerate(question.choices):
            initial[f"choice_{index + 1}"] = choice
        return initial

    def clean(self):
        data = super().clean()
        entered = [data.get(f"choice_{i + 1}") or "" for i in range(CHOICES_MAX)]
        correct = data.get("correct_choice")
        if correct is not None and not entered[int(correct)].strip():
            self.add_error("correct_choice", "Select an answer you have entered as the correct one")
        return data

    def service_values(self) -> dict:
        """The answers in order without gaps; the correct index follows its answer."""
        data = self.cleaned_data
        entered = [(data.get(f"choice_{i + 1}") or "").strip() for i in range(CHOICES_MAX)]
        correct_text = entered[int(data["correct_choice"])]
        choices = [choice for choice in entered if choice]
        return {"text": data["text"], "choices": choices, "correct_choice": choices.index(correct_text)}


QUESTION_PREFIX = "question-"


class KnowledgeCheckForm(forms.Form):
    """One radio group per question of the module. An answer naming any other question (another
    module's, or a tampered id) makes the whole form invalid."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"{QUESTION_PREFIX}{question.public_id}"] = forms.ChoiceField(
                label=f"{number}. {question.text}",
                choices=[(str(index), choice) for index, choice in enumerate(question.choices)],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Answer question {number}",
                    "invalid_choice": f"Choose one of the answers offered for question {number}",
                },
            )

    def clean(self):
        data = super().clean()
        expected = set(self.fields)
        if any(key.startswith(QUESTION_PREFIX) and key not in expected for key in self.data):
            raise forms.ValidationError(
                "Your answers named a question that is not in this knowledge check. Answer the questions on this page."
            )
        return data

    def answers(self) -> dict[str, int]:
        return {
            str(question.public_id): int(self.cleaned_data[f"{QUESTION_PREFIX}{question.public_id}"])
            for question in self.questions
        }
