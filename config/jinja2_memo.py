"""Rendered NHS.UK components, remembered per process (issue 12 finding 9).

An NHS.UK frontend component macro (`nhsuk/components/*/macro.jinja`) renders its own
template through several attribute macros: about 0.1-1 ms per call, and a page makes dozens
(the header, the footer, buttons, cards, every form field's label, hint and select). Its
output depends only on its one `params` argument (the macros see no request data, only the
environment's constant globals), so the same params give the same markup. Templates that
import these macros get a wrapper that returns the markup rendered before for equal params.

Params are compared exactly: only plain str, Markup, int, float, bool, None, dict, list and
tuple are keys (with their types, so a plain string is never taken for markup, nor the
other way round); a call with anything else (a lazy translation, a Django SafeString, an
undefined value), with `caller` or with extra arguments is rendered as before. Off when
templates reload (DEBUG). Bounded: MAX_ENTRIES entries and MAX_CHARS characters in all, the
oldest dropped first.
"""

import threading

from jinja2 import Template
from jinja2.runtime import Macro
from markupsafe import Markup

MAX_ENTRIES = 4096
MAX_CHARS = 32_000_000  # about 64 MB of markup per worker at most
MAX_ITEM_CHARS = 200_000
COMPONENT_PREFIX = "nhsuk/components/"

_SCALARS = frozenset({str, Markup, int, float, bool, type(None)})
_rendered: dict = {}
_size = [0]
_lock = threading.Lock()  # stores and evictions only (a threaded server); reads need none


class _Uncacheable(Exception):
    pass


def _freeze(value):
    kind = type(value)
    if kind in _SCALARS:
        return (kind, value)
    if kind is dict:
        return (dict, tuple((_freeze(key), _freeze(item)) for key, item in value.items()))
    if kind is list or kind is tuple:
        return (kind, tuple(_freeze(item) for item in value))
    raise _Uncacheable


def _store(key, markup) -> None:
    if len(markup) > MAX_ITEM_CHARS:
        return
    with _lock:
        if key in _rendered:
            return
        while _rendered and (len(_rendered) >= MAX_ENTRIES or _size[0] + len(markup) > MAX_CHARS):
            _size[0] -= len(_rendered.pop(next(iter(_rendered))))
        _rendered[key] = markup
        _size[0] += len(markup)


def clear() -> None:
    with _lock:
        _rendered.clear()
        _size[0] = 0


def _remembered(template_key: tuple, macro: Macro):
    def call(*args, **kwargs):
        if kwargs or len(args) != 1:
            return macro(*args, **kwargs)
        try:
            key = (template_key, macro.name, _freeze(args[0]))
        except _Uncacheable:
            return macro(*args)
        markup = _rendered.get(key)
        if markup is None:
            markup = macro(*args)
            _store(key, markup)
        return markup

    call.__name__ = macro.name
    return call


class _Module:
    """The component template's module with its macros wrapped."""

    def __init__(self, template_key: tuple, module):
        for attribute, value in vars(module).items():
            setattr(self, attribute, _remembered(template_key, value) if isinstance(value, Macro) else value)


class MemoTemplate(Template):
    def _get_default_module(self, ctx=None):
        module = super()._get_default_module(ctx)
        if (
            self.environment.auto_reload
            or module is not self._module  # made for extra globals: not the shared module
            or not (self.name or "").startswith(COMPONENT_PREFIX)
        ):
            return module
        wrapped = getattr(self, "_memo_module", None)
        if wrapped is None:
            # The environment's identity in the key: its globals are part of what a macro sees.
            wrapped = self._memo_module = _Module((id(self.environment), self.name), module)
        return wrapped
