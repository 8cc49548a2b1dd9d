"""Jinja2 environment: the NHS.UK frontend macros, `static`, `url` and a few filters."""

import functools
import re

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, select_autoescape

from centres.roles import Role
from config import forms as form_helpers
from config.jinja2_memo import MemoTemplate
from submissions.tokens import submission_field

# The NHS.UK page template marks the body "js-enabled" with an inline script; the CSP allows no
# inline script (ADR 0030), so the same line runs from a file (static/src/js/nhsuk-supported.js).
NHSUK_PAGE_TEMPLATE = "nhsuk/template.jinja"
NHSUK_INLINE_SCRIPT = re.compile(r"<script \{%- if cspNonce %\}.*?</script>", re.DOTALL)
NHSUK_SCRIPT_FILE = """<script src="{{ static('js/nhsuk-supported.js') }}"></script>"""


class NhsukLoader(PackageLoader):
    """The NHS.UK frontend templates, with the page template's one inline script replaced by
    the same script from a file. Fails loudly if a new release changes that script."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if template == NHSUK_PAGE_TEMPLATE:
            source, replaced = NHSUK_INLINE_SCRIPT.subn(NHSUK_SCRIPT_FILE, source)
            if replaced != 1:
                raise RuntimeError(f"{template} no longer has the one inline script config/jinja2.py replaces")
        return source, filename, uptodate


@functools.lru_cache(maxsize=512)
def _static_cached(path: str) -> str:
    return static(path)


def static_url(path: str) -> str:
    """`static()` for templates. With DEBUG off the files (and the production manifest) do not
    change while the process runs, so each path is looked up once per process (the manifest
    lookup, hashing the name and quoting cost every page a little, several times)."""
    return static(path) if settings.DEBUG else _static_cached(path)


@receiver(setting_changed)
def _static_settings_changed(setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG"}:
        _static_cached.cache_clear()


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date_format(value, fmt: str = "%-d %B %Y") -> str:
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.strftime(fmt)


def datetime_format(value) -> str:
    return date_format(value, "%-d %B %Y at %H:%M")


def role_label(value: str) -> str:
    return Role(value).label


def environment(**options) -> Environment:
    # Our own templates first, then the NHS.UK frontend macros (nhsuk/...).
    # Escape HTML pages; plain-text emails (*.txt) are not HTML and must not be escaped.
    options["autoescape"] = select_autoescape(enabled_extensions=("html", "jinja"), default=False)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    options["loader"] = ChoiceLoader([options["loader"], NhsukLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    env = Environment(**options)  # noqa: S701 - autoescape is set above with select_autoescape
    env.template_class = MemoTemplate  # NHS.UK components' markup remembered per params (off with DEBUG)
    env.globals.update(
        {
            "static": static_url,
            # The NHS.UK template links favicons under this folder. static() takes files only
            # (the production manifest has no entry for a folder); the unhashed copies that
            # collectstatic keeps beside the hashed ones are served at this path.
            "nhsuk_asset_path": f"{settings.STATIC_URL.rstrip('/')}/nhsuk/assets",
            "url": url,
            "service_name": settings.SERVICE_NAME,
            "field_kind": form_helpers.field_kind,
            "field_input_type": form_helpers.field_input_type,
            "field_attributes": form_helpers.field_attributes,
            "error_list": form_helpers.error_list,
            "submission_field": submission_field,
        }
    )
    env.filters.update({"date": date_format, "datetime": datetime_format, "role_label": role_label})
    return env
