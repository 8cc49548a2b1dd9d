"""config/forms.py: which NHS.UK component each Django widget is drawn with."""

import pytest
from django import forms

from config.forms import field_kind
from core.fields import DateField


class Everything(forms.Form):
    radios = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    checkboxes = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    checkbox = forms.BooleanField()
    select = forms.ChoiceField(choices=[("a", "A")])
    textarea = forms.CharField(widget=forms.Textarea)
    password = forms.CharField(widget=forms.PasswordInput)
    file = forms.FileField()
    input = forms.CharField()
    date = DateField(label="Date")


@pytest.mark.parametrize("name", list(Everything.base_fields))
def test_each_widget_gets_its_component(name):
    assert field_kind(Everything()[name]) == name
