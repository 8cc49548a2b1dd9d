"""Helpers the form macros in templates/_forms.jinja use to render Django fields with the
NHS.UK components."""

from django import forms

from core.fields import DateWidget


def field_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, DateWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect: ask about it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def field_input_type(bound_field) -> str:
    return getattr(bound_field.field.widget, "input_type", "text") or "text"


def field_error_href(bound_field) -> str:
    """Where the error summary link goes: the input, or the first radio/checkbox."""
    return f"#{bound_field.auto_id}"


def error_list(form) -> list[dict]:
    """The error summary's list: non-field errors first, then each field's first error.

    Every item is a link, as the NHS.UK error summary expects: a non-field error (such as
    "email and password do not match") goes to the form's first field."""
    visible = form.visible_fields()
    first_href = field_error_href(visible[0]) if visible else None
    items = [{"text": str(error), "href": first_href} for error in form.non_field_errors()]
    for bound_field in form:
        if bound_field.errors:
            items.append({"text": str(bound_field.errors[0]), "href": field_error_href(bound_field)})
    return items


def field_attributes(bound_field) -> dict:
    attrs = dict(bound_field.field.widget.attrs)
    attrs.pop("class", None)
    attrs.pop("placeholder", None)
    autocomplete = attrs.pop("autocomplete", None)
    spellcheck = attrs.pop("spellcheck", None)
    if bound_field.field.required and field_kind(bound_field) not in {"radios", "checkboxes", "checkbox"}:
        attrs["aria-required"] = "true"
    extra = {"attrs": attrs, "autocomplete": autocomplete, "spellcheck": spellcheck}
    if isinstance(bound_field.field.widget, DateWidget):
        extra["date_parts"] = date_parts(bound_field)
    return extra


def date_parts(bound_field) -> list[str]:
    """The day, month and year to show in a date input: as typed, or from the initial value."""
    form, widget = bound_field.form, bound_field.field.widget
    if form.is_bound:
        parts = widget.value_from_datadict(form.data, form.files, bound_field.html_name)
    else:
        parts = widget.decompress(bound_field.initial)
    return [part or "" for part in parts]
