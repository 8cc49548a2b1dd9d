"""URL enumeration for the cross-centre isolation test.

Every URL pattern in the project is requested by every role of centre A with the ids of
centre B's objects. When you add a URL with a new keyword argument, register the argument
here: which of centre B's objects it names (`OBJECT_KWARGS`), or why it names none
(`NON_OBJECT_KWARGS`). The test fails on an unregistered argument, so no URL escapes it.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# keyword argument -> function(centre_b_world) -> values naming B's objects
OBJECT_KWARGS: dict[str, Callable[[dict], list[str]]] = {
    # Django admin (platform staff only; centre roles must be turned away).
    "object_id": lambda b: [str(b["membership"].pk)],
    "id": lambda b: [str(b["user"].pk)],
    "content_type_id": lambda b: [str(b["membership_content_type"].pk)],
    "app_label": lambda b: ["centres"],
    # Centre pages: public ids of centre B's objects.
    "assignment_id": lambda b: [str(b["assignment"].public_id)],
    "prompt_id": lambda b: [str(b["prompt"].public_id)],
    # Find your centre and self-registration (public): B is hidden from the directory in the
    # walk's world, so its pages must answer 404 exactly like an unknown code.
    "code": lambda b: [b["centre"].code],
    "ticket_id": lambda b: [str(b["support_ticket"].public_id)],
    # System notices belong to the platform, not a centre; their pages are platform staff only.
    "notice_id": lambda b: [str(b["notice"].public_id)],
    "job_id": lambda b: [str(b["report_job"].public_id)],
    "upload_id": lambda b: [str(b["bulk_upload"].public_id)],
    # The unclaimed one could be deleted (C7) if a view forgot the centre.
    "membership_id": lambda b: [
        str(b["locked_membership"].public_id),
        str(b["membership"].public_id),
        str(b["unclaimed_membership"].public_id),
    ],
    # P1: framework versions belong to the platform; their pages are platform staff only.
    "version_id": lambda b: [str(b["framework_version"].public_id)],
}

# keyword arguments that are secrets or free text rather than object ids
NON_OBJECT_KWARGS: dict[str, str] = {
    "key": "email-confirmation or password-reset secret; a wrong one must be refused",
    "uidb36": "part of a password-reset link; paired with a wrong key",
    "url": "admin catch-all path",
    "token": "welcome-link secret; a wrong one must be refused",
}
SECRET_VALUES = {
    "key": "set-password",
    "uidb36": "zz",
    "url": "centres/",
    "token": "not-a-real-welcome-token",
}

# URL names not requested, with the reason.
EXCLUDED_NAMES: dict[str, str] = {
    "admin:logout": "logs the client out; covered by the admin's own staff check",
    "account_logout": "logs the client out; holds no centre data",
    "admin:jsi18n": "static JavaScript catalogue",
}


@dataclass(frozen=True)
class Route:
    name: str
    kwarg_names: tuple[str, ...]
    in_admin: bool = False


def _kwarg_names(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    return tuple(pattern.regex.groupindex)


def iter_routes(resolver: URLResolver | None = None, namespace: str = "", inherited=()) -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        names = (*inherited, *_kwarg_names(entry.pattern))
        if isinstance(entry, URLResolver):
            child_namespace = namespace
            if entry.namespace:
                child_namespace = f"{namespace}{entry.namespace}:"
            yield from iter_routes(entry, child_namespace, names)
        elif isinstance(entry, URLPattern):
            yield Route(
                name=f"{namespace}{entry.name}" if entry.name else "",
                kwarg_names=names,
                in_admin=namespace.startswith("admin:"),
            )


# -- P4/P6 learner pages (passports/views/learner.py). setdefault: other passport areas may
# register the same argument names for the same kind of object.
OBJECT_KWARGS.setdefault("request_id", lambda b: [str(b["confirmation_request"].public_id)])
NON_OBJECT_KWARGS.setdefault(
    "position", "a proficiency's place in the framework; the enrolment_id beside it names the object"
)
SECRET_VALUES.setdefault("position", "1")
# P2 staff list, P3 enrolment, P5 supervisors (p2-staff-enrol): centre B's staff-list entry,
# enrolment, and a supervisor of it (a user's public id).
OBJECT_KWARGS.update(
    {
        "entry_id": lambda b: [str(b["staff_entry"].public_id)],
        # The staff area's enrolment, and the learner area's one with results and a request.
        "enrolment_id": lambda b: [
            str(b[name].public_id) for name in ("enrolment", "learner_enrolment", "signed_off_enrolment")
        ],
        "supervisor_user_id": lambda b: [str(b["enrolment_supervisor"].public_id)],
    }
)
# P9/P10 passport records and certificates: enrolment_id also names B's signed-off enrolment.
# P9 public certificate verification: anyone holding a code may see that certificate's public
# summary, whatever its centre (the code is the permission), so B's real code is not walked.
NON_OBJECT_KWARGS["verification_code"] = "public certificate code; an unknown one gives 404"
SECRET_VALUES["verification_code"] = "NOTA-REAL-CODE"


# P7/P8 supervisor and sign-off pages (p7-supervisor): centre B's enrolment, confirmation
# request and sign-off request (made by `p7_world` in tests/test_isolation.py), plus any
# enrolment and request other passport areas put in the world.
def _ids(*keys: str) -> Callable[[dict], list[str]]:
    return lambda b: [str(b[key].public_id) for key in keys if key in b]


OBJECT_KWARGS["request_id"] = _ids("p7_confirmation_request", "confirmation_request")
OBJECT_KWARGS["enrolment_id"] = _ids("p7_enrolment", "enrolment", "learner_enrolment", "signed_off_enrolment")
OBJECT_KWARGS["signoff_id"] = _ids("p7_sign_off")


# R1-R11 dynamic support register (referrals/): B's referrals (active and archived), B's
# register's extra question and a B register user. A and B are in different registers.
OBJECT_KWARGS["referral_id"] = _ids("referral", "archived_referral")
OBJECT_KWARGS["question_id"] = _ids("extra_question")
OBJECT_KWARGS["user_id"] = _ids("register_user")
NON_OBJECT_KWARGS["register_slug"] = "public sign-up page of a register (its name is public, like the directory)"
SECRET_VALUES["register_slug"] = "bravo-dsr"

# Issue 11: platform staff name a centre's manager (/platform/centres/<centre_id>/...): a
# platform page, so every centre role is turned away whatever centre it names.
OBJECT_KWARGS.setdefault("centre_id", lambda b: [str(b["centre"].public_id)])

# E1 modules (el-modules): eLearning modules, their lessons and knowledge-check questions are
# platform content, not a centre's (ADR 0033): the same modules are every learner's. The walk's
# world holds an unpublished one (tests/isolation_elearning_modules.py): the authoring pages
# (/platform/elearning/modules/...) must turn every centre role away, and the learner pages must
# answer for a draft exactly as for an id that names nothing.
OBJECT_KWARGS["module_id"] = _ids("elearning_module")
OBJECT_KWARGS["lesson_id"] = _ids("elearning_lesson")
OBJECT_KWARGS["check_question_id"] = _ids("elearning_question")
# Issue 15 staff passport settings (S2-S6, staffpassport/urls_settings.py): B's custom
# template and job role. Contacts, teams and staff groups are fixed names (every trust has the
# same ones; the page shows the current trust's own), not another trust's objects.
OBJECT_KWARGS["template_id"] = _ids("sp_template")
OBJECT_KWARGS["job_role_id"] = _ids("sp_job_role")
NON_OBJECT_KWARGS["contact"] = "a kind of organisation contact (the same list at every trust)"
NON_OBJECT_KWARGS["detail"] = "name, email or telephone of a contact"
NON_OBJECT_KWARGS["team"] = "HR, occupational health, or education and training (every trust has them)"
NON_OBJECT_KWARGS["staff_group"] = "an ESR staff group code (platform-wide, the same at every trust)"
SECRET_VALUES["contact"] = "hr_team"
SECRET_VALUES["detail"] = "email"
SECRET_VALUES["team"] = "hr"
SECRET_VALUES["staff_group"] = "nursing-midwifery-registered"

# S7 staff passports, credentials and ESR imports (sp-esr, tests/isolation_staffpassport_esr.py).
# credential_id: B's staff credential, plus any other area's credential put in the world.
OBJECT_KWARGS["staff_id"] = lambda b: [str(b["sp_staff_member"].public_id)]
OBJECT_KWARGS["credential_id"] = lambda b: [
    str(b[key].public_id) for key in dict.fromkeys(("sp_credential", "staff_credential")) if key in b
]
OBJECT_KWARGS["import_id"] = lambda b: [str(b["sp_esr_import"].public_id)]
# Issue 14, NHSmail sign-in (ADR 0034): allauth's OpenID Connect login and callback name the
# provider app, not a centre's object; only `nhsmail` exists (and only when configured).
NON_OBJECT_KWARGS["provider_id"] = "the OpenID Connect app (NHSmail sign-in), not a centre's object"
SECRET_VALUES["provider_id"] = "nhsmail"
# E2 care-record invitations (el-invites): B's site (an authoriser of A gets 404 for it) and
# B's invitations, pending and answered, in the resend and withdraw URLs. The invitee's link
# takes `token` (registered above: a wrong secret is refused; the secret is the permission).
OBJECT_KWARGS.setdefault("site_id", lambda b: [str(b["centre"].public_id)])
OBJECT_KWARGS["invitation_id"] = _ids("elearning_invitation", "elearning_answered_invitation")
# E3/E4 site staff and the request queue (el-sites): B's site (a centre), B's site staff
# record and B's account request. Site pages answer 404 for a site that is not the
# authoriser's; the queue is platform staff only, so every centre role is turned away.
OBJECT_KWARGS.setdefault("site_id", lambda b: [str(b["centre"].public_id)])
OBJECT_KWARGS.setdefault("staff_id", _ids("elearning_site_staff"))
OBJECT_KWARGS["account_request_id"] = _ids("elearning_account_request")
# S8 verifiable credentials (sp-vc): B's issued staff passport credential
# (tests/isolation_staffpassport_vc.py); the JWKS and /verify/credential/ take no argument.
OBJECT_KWARGS["staff_credential_id"] = _ids("vc_staff_credential")
# Issue 16 item 2 (selfassess): a learner's section page and its answer forms take a section's
# place in the framework; the enrolment_id beside it names the object.
NON_OBJECT_KWARGS.setdefault(
    "section_position", "a section's place in the framework; the enrolment_id beside it names the object"
)
SECRET_VALUES.setdefault("section_position", "1")
