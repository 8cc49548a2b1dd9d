"""Choosing which of one's centres to work in."""

from django import forms


class ChooseCentreForm(forms.Form):
    centre = forms.ChoiceField(
        label="Which centre do you want to use?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the centre you want to use",
            "invalid_choice": "Select one of the centres listed",
        },
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choosable = {str(choice.centre.public_id): choice for choice in choices if choice.can_choose}
        self.fields["centre"].choices = [
            (public_id, f"{choice.centre.name} ({choice.delegate_number or 'role only'})")
            for public_id, choice in self.choosable.items()
        ]

    def chosen(self):
        return self.choosable[self.cleaned_data["centre"]].centre
