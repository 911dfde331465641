"""Working Together: an organisation's offer to be found by lead bidders for consortium
bids."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from commissioning.models import Area
from core.forms import BaseForm


class PartnerProfileForm(BaseForm):
    submit_label = "Save"

    findable = forms.TypedChoiceField(
        label="Can lead bidders find your organisation for consortium bids?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if lead bidders can find your organisation"},
    )
    offer = forms.CharField(
        label="What your organisation offers a consortium",
        help_text="The services, skills or reach you would bring, for example "
        "“Befriending volunteers and a minibus in Carnforth”",
        widget=forms.Textarea,
        max_length=1000,
        error_messages={
            "required": "Enter what your organisation offers a consortium",
            "max_length": "What you offer must be 1,000 characters or fewer",
        },
    )
    areas = forms.ModelMultipleChoiceField(
        label="Where your organisation can work",
        help_text="Select all that apply",
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select areas from the list"},
    )

    def __init__(self, *args, **kwargs):
        initial = kwargs.get("initial") or {}
        if isinstance(initial.get("findable"), bool):
            kwargs["initial"] = {**initial, "findable": "yes" if initial["findable"] else "no"}
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(kind=Area.Kind.AREA).order_by("name")
        self.helper.layout = Layout(
            Field.radios("findable", legend_size=Size.SMALL, inline=True),
            Field.textarea("offer", rows=4),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
        )


class PartnerFinderForm(forms.Form):
    """The bid's partners step: find organisations offering to work together (GET)."""

    offer = forms.CharField(
        label="What you are looking for",
        required=False,
        max_length=100,
        help_text="A word from what they offer, for example befriending or transport",
    )
    area = forms.ModelChoiceField(
        label="Where",
        required=False,
        queryset=Area.objects.none(),
        to_field_name="slug",
        empty_label="Anywhere",
        error_messages={"invalid_choice": "Select a place from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(kind=Area.Kind.AREA).order_by("name")
