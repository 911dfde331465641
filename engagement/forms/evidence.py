"""Forms for the local needs assessment."""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import Area, Commission, CommissionState, CorporatePriority
from core.forms import BaseModelForm, DayMonthYearField
from core.uploads import CheckedFileField
from engagement.models import EvidenceItem

CATEGORY_HINTS = {
    EvidenceItem.Category.DEMOGRAPHY: "Population, age, households, ethnicity, health",
    EvidenceItem.Category.ECONOMY: "Employment, income, skills, deprivation, business",
    EvidenceItem.Category.SOCIAL: "Community safety, isolation, housing, education",
    EvidenceItem.Category.ENVIRONMENTAL: "Green space, air quality, transport, climate",
    EvidenceItem.Category.QUALITATIVE: "Local research, case studies, what people and "
    "providers say",
    EvidenceItem.Category.USER_FEEDBACK: "What people who use services say about needs "
    "and existing services",
}
LINK_INVALID = "Enter a link in the correct format, like https://www.example.org"
CLOSED_STATES = (CommissionState.CLOSED, CommissionState.CANCELLED)


def area_label(area: Area) -> str:
    """ "Morecambe (whole area)", "Harbour ward, Morecambe"."""
    if area.kind == Area.Kind.AREA:
        return f"{area.name} (whole area)"
    return f"{area.name} ward, {area.parent.name}" if area.parent_id else f"{area.name} ward"


class AreaChoiceField(forms.ModelMultipleChoiceField):
    """Areas and wards, each ward named with the area it is in."""

    def label_from_instance(self, obj: Area) -> str:
        return area_label(obj)


class AreaFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return area_label(obj)


def areas_for_choice():
    return Area.objects.select_related("parent").order_by("kind", "parent__name", "name")


class CommissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Commission) -> str:
        return f"{obj.title} ({obj.reference})"


class PastDateField(DayMonthYearField):
    """A GOV.UK date input for a date that has happened, with messages naming the date."""

    def __init__(self, *, name: str, **kwargs):
        self.name = name
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {name}"
        self.error_messages["incomplete"] = f"Enter {name}"
        subject = name.removeprefix("the ").capitalize()
        for part, label in zip(self.fields, ("day", "month", "year"), strict=True):
            part.error_messages["incomplete"] = f"{subject} must include a {label}"
            for validator in part.validators:
                validator.message = f"{subject} must be a real date"

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError as error:
            subject = self.name.removeprefix("the ").capitalize()
            raise ValidationError(f"{subject} must be a real date", code="invalid") from error

    def validate(self, value):
        super().validate(value)
        if isinstance(value, datetime.date) and value > timezone.localdate():
            subject = self.name.removeprefix("the ").capitalize()
            raise ValidationError(f"{subject} must be today or in the past", code="future")


class EvidenceForm(BaseModelForm):
    """Add or change a piece of needs-assessment evidence."""

    submit_label = "Save evidence"

    category = forms.ChoiceField(
        label="Category",
        choices=[
            Choice(value, label, hint=CATEGORY_HINTS[value])
            for value, label in EvidenceItem.Category.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a category"},
    )
    dated = PastDateField(
        name="the date of the evidence",
        label="Date of the evidence",
        help_text="When it was published or collected, for example 27 3 2021",
    )
    file = CheckedFileField(label="Upload a file (optional)", required=False)
    remove_file = forms.BooleanField(label="Remove the current file", required=False)
    priorities = forms.ModelMultipleChoiceField(
        label="Corporate Priorities it is about (optional)",
        queryset=CorporatePriority.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas = AreaChoiceField(
        label="Areas and wards it is about (optional)",
        help_text="Leave empty if it is about the whole district",
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    commissions = CommissionChoiceField(
        label="Commissions it informs (optional)",
        queryset=Commission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = EvidenceItem
        fields = [
            "title",
            "category",
            "source",
            "dated",
            "summary",
            "url",
            "file",
            "priorities",
            "areas",
            "commissions",
        ]
        labels = {"title": "Title", "source": "Source", "summary": "Summary", "url": "Link"}
        widgets = {
            # crispy-forms-gds styles text inputs only; a link is typed, not spell-checked.
            "url": forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
        }
        help_texts = {
            "title": "For example, Census 2021: older people living alone in Morecambe",
            "source": "Who published or collected it, for example Office for National "
            "Statistics (ONS)",
            "summary": "What it tells us about need in the district",
            "url": "Optional. Where it is published, if it is online",
        }
        error_messages = {
            "title": {
                "required": "Enter a title",
                "max_length": "Title must be 200 characters or fewer",
            },
            "source": {
                "required": "Enter the source",
                "max_length": "Source must be 200 characters or fewer",
            },
            "summary": {"required": "Enter a summary"},
            "url": {"invalid": LINK_INVALID, "max_length": "Link must be 200 characters or fewer"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas_for_choice()
        linked = Commission.objects.none()
        if self.instance.pk:
            linked = self.instance.commissions.all()
        self.fields["commissions"].queryset = (
            (Commission.objects.exclude(state__in=CLOSED_STATES) | linked)
            .distinct()
            .order_by("reference")
        )
        has_file = bool(self.instance.pk and self.instance.file)
        if has_file:
            self.fields["file"].label = "Replace the file (optional)"
            self.fields["file"].help_text = "Leave empty to keep the current file. " + self.fields[
                "file"
            ].help_text.replace("The file", "A new file")
        else:
            del self.fields["remove_file"]
        self.helper.layout = Layout(
            Field.text("title"),
            Field.radios("category", legend_size=Size.SMALL),
            Field.text("source"),
            Field("dated"),
            Field.textarea("summary", rows=6),
            Field.text("url"),
            Field("file"),
            *([Field.checkbox("remove_file", small=True)] if has_file else []),
            Field.checkboxes("priorities", legend_size=Size.SMALL, small=True),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
            Field.checkboxes("commissions", legend_size=Size.SMALL, small=True),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_file") and self.files.get(self.add_prefix("file")):
            self.add_error(
                "remove_file", "Either upload a new file or remove the current one, not both"
            )
        return cleaned


class EvidenceFilterForm(forms.Form):
    """The evidence list's filters (GET), rendered as GOV.UK selects beside the list."""

    category = forms.ChoiceField(
        required=False, choices=[("", "All categories"), *EvidenceItem.Category.choices]
    )
    priority = forms.ModelChoiceField(
        label="Corporate Priority",
        required=False,
        queryset=CorporatePriority.objects.all(),
        empty_label="All priorities",
    )
    area = AreaFilterField(
        label="Area or ward",
        required=False,
        queryset=Area.objects.none(),
        empty_label="Anywhere",
    )
    commission = forms.ModelChoiceField(
        required=False,
        queryset=Commission.objects.order_by("reference"),
        empty_label="Any commission",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_for_choice()

    @property
    def filters(self) -> dict:
        """The filters to apply: none of them when the form is not valid."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
