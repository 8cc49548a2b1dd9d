import pytest
from django import forms

from centres.models import Centre
from core.exceptions import ServiceError
from core.forms import form_add_service_error
from core.services import model_update

pytestmark = pytest.mark.django_db


def test_model_update_saves_only_what_changed_and_reports_it():
    centre = Centre.objects.create(code="AAA", name="Alpha")
    update = model_update(centre, {"name": "Alpha Trust", "code": "AAA"})
    assert update.fields == ["name"]
    assert update.changes[0].before == "Alpha"
    assert update.changes[0].after == "Alpha Trust"
    assert update.summary({"name": "centre name"}) == "centre name"
    centre.refresh_from_db()
    assert centre.name == "Alpha Trust"


def test_model_update_with_nothing_new_writes_nothing(django_assert_num_queries):
    centre = Centre.objects.create(code="BBB", name="Beta")
    with django_assert_num_queries(0):
        update = model_update(centre, {"name": "Beta"})
    assert not update


def test_model_update_validates_the_changed_fields():
    from django.core.exceptions import ValidationError

    centre = Centre.objects.create(code="CCC", name="Gamma")
    with pytest.raises(ValidationError):
        model_update(centre, {"name": "x" * 500})


class _NameForm(forms.Form):
    name = forms.CharField()


def test_service_error_lands_on_its_field_or_the_whole_form():
    form = _NameForm(data={"name": "Ann"})
    assert form.is_valid()
    form_add_service_error(form, ServiceError("Enter another name", field="name"))
    form_add_service_error(form, ServiceError("Try again later", field="not_on_this_form"))
    assert form.errors["name"] == ["Enter another name"]
    assert form.non_field_errors() == ["Try again later"]
