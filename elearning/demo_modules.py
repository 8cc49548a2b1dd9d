"""E1 demo content: three published modules of the Leeds Care Record eLearning (seed 001), made
through the authoring services. Loading twice changes nothing: a module whose title exists is
left as it is. The integrator calls `demo_modules_load` from the app's seed_demo."""

from accounts.models import User
from elearning.models import Module
from elearning.services.modules import lesson_create, module_create, module_update, question_create

INTRODUCTION = "Introduction to the Leeds Care Record"
GOVERNANCE = "Information governance and confidentiality"
SAFE_USE = "Using the Leeds Care Record safely"

VIDEO_URL = "https://www.leedscarerecord.org/training/introduction-video"
VIDEO_TRANSCRIPT = "\n".join(
    [
        "Welcome to the Leeds Care Record. In this short video we look at what the record is and who uses it.",
        "The Leeds Care Record joins up information from GP practices, Leeds Teaching Hospitals, Leeds "
        "Community Healthcare, Leeds and York Partnership and Leeds City Council adult social care.",
        "It is a read-only view: you see the latest medications, allergies, diagnoses, test results, "
        "appointments and care plans, but you make changes in your own organisation's system.",
        "You may look at a record only when you are caring for that person, and every record you open is logged.",
        "At the end of this module you will know how to find a patient, what each section shows, and where to "
        "go for help.",
    ]
)

MODULES = [
    {
        "title": INTRODUCTION,
        "summary": "What the Leeds Care Record is, where its information comes from and who may use it.",
        "position": 1,
        "lessons": [
            ("What is the Leeds Care Record?", "video", {"video_url": VIDEO_URL, "transcript": VIDEO_TRANSCRIPT}),
            (
                "Finding a patient and reading their record",
                "text",
                {
                    "body_html": "<p>Search by NHS number whenever you can: it is the one identifier that is "
                    "the same in every organisation. If you search by name and date of birth, check the "
                    "address and GP practice before you open the record.</p>"
                    "<h2>What each section shows</h2><ul><li><strong>Summary</strong>: allergies, current "
                    "medication and active problems.</li><li><strong>Encounters</strong>: admissions, "
                    "outpatient appointments and community visits.</li><li><strong>Results</strong>: "
                    "pathology and radiology reports.</li><li><strong>Documents</strong>: discharge letters "
                    "and care plans.</li></ul><p>Information is shown as its source system last sent it: "
                    "check the date beside each item.</p>"
                },
            ),
        ],
        "questions": [],
    },
    {
        "title": GOVERNANCE,
        "summary": "Your duty of confidentiality, legitimate relationships and how access is audited.",
        "position": 2,
        "lessons": [
            (
                "Confidentiality and the law",
                "text",
                {
                    "body_html": "<p>Everyone who uses the Leeds Care Record has a legal duty of "
                    "confidentiality under the common law, the Data Protection Act 2018 and UK GDPR.</p>"
                    "<p>You may open a person's record only when you have a <strong>legitimate care "
                    "relationship</strong> with them: you are caring for them now, or arranging their "
                    "care. Curiosity, looking up family, friends, colleagues or yourself is never a "
                    "reason.</p>"
                },
            ),
            (
                "Auditing and what happens if access is misused",
                "text",
                {
                    "body_html": "<p>Every search and every record opened is recorded with your name, "
                    "your organisation and the time. Audits are run every month and patients may ask who "
                    "has looked at their record.</p><p>Inappropriate access is reported to your "
                    "organisation's information governance lead and may lead to disciplinary action and "
                    "prosecution.</p>"
                },
            ),
        ],
        "questions": [
            (
                "When may you open a person's Leeds Care Record?",
                [
                    "When you are involved in their care",
                    "When a colleague asks you to check on a friend",
                    "At any time",
                ],
                0,
            ),
            (
                "Who can see that you opened a record?",
                ["Nobody", "Auditors, and the patient if they ask", "Only your manager"],
                1,
            ),
            (
                "A relative asks you to look up their test results. What do you do?",
                ["Look them up quickly", "Refuse and explain they should ask their own clinician", "Print them"],
                1,
            ),
        ],
    },
    {
        "title": SAFE_USE,
        "summary": "Passwords, smartcards, logging out and what to do when information looks wrong.",
        "position": 3,
        "lessons": [
            (
                "Keeping your account secure",
                "text",
                {
                    "body_html": "<p>Never share your login or smartcard, and never let anyone use the "
                    "record while you are logged in. Lock your screen (Windows key + L) whenever you leave "
                    "your desk, and log out at the end of your shift.</p>"
                },
            ),
            (
                "When the information looks wrong",
                "text",
                {
                    "body_html": "<p>The record shows what each organisation sent. If something looks "
                    "wrong, do not act on it alone: check with the patient and the organisation that "
                    "recorded it, and report it to the Leeds Care Record team so the source can be "
                    "corrected.</p>"
                },
            ),
        ],
        "questions": [],
    },
]


def demo_modules_load(*, stdout) -> None:
    author = User.objects.filter(is_staff=True).order_by("pk").first()
    existing = set(Module.objects.filter(title__in=[spec["title"] for spec in MODULES]).values_list("title", flat=True))
    for spec in MODULES:
        if spec["title"] in existing:
            continue
        module = module_create(
            actor=author, title=spec["title"], summary=spec["summary"], is_required=True, position=spec["position"]
        )
        for title, kind, values in spec["lessons"]:
            lesson_create(module=module, actor=author, title=title, kind=kind, **values)
        for text, choices, correct in spec["questions"]:
            question_create(module=module, actor=author, text=text, choices=choices, correct_choice=correct)
        module_update(module=module, actor=author, is_published=True)
        stdout.write(f"eLearning module: {module.title}")
