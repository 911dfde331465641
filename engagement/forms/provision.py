"""Forms for the map of existing service provision."""

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from commissioning.models import Area, CorporatePriority
from core.forms import BaseModelForm
from engagement.forms.evidence import AreaChoiceField, AreaFilterField, areas_for_choice
from engagement.models import ServiceProvision
from providers.models import Organisation

NO_PROVIDER = "Select a registered organisation or enter the provider's name"
BOTH_PROVIDERS = "Select a registered organisation or enter the provider's name, not both"


class PoundsField(forms.DecimalField):
    """An amount in pounds; "£12,500" is read as 12500."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "")
        return super().to_python(value)


class ProvisionForm(BaseModelForm):
    """Add or change an existing service in the map of provision."""

    submit_label = "Save service"

    organisation = forms.ModelChoiceField(
        label="Registered organisation",
        help_text="If the provider is registered on the portal",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="Not registered – enter its name below",
    )
    priority = forms.ModelChoiceField(
        label="Corporate Priority it serves",
        queryset=CorporatePriority.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select a Corporate Priority"},
    )
    areas = AreaChoiceField(
        label="Areas and wards it serves (optional)",
        help_text="Select whole areas, or the wards it serves. Leave empty if it serves the "
        "whole district",
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    annual_value = PoundsField(
        label="Annual value (optional)",
        help_text="In pounds, what the service costs or is funded each year, for example 12500",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Annual value must be an amount of money, like 12500",
            "min_value": "Annual value must be £0 or more",
            "max_digits": "Annual value must be less than £10,000,000,000",
            "max_whole_digits": "Annual value must be less than £10,000,000,000",
            "max_decimal_places": "Annual value must be in pounds and pence, like 12500.50",
        },
    )

    class Meta:
        model = ServiceProvision
        fields = [
            "service",
            "description",
            "organisation",
            "provider_name",
            "priority",
            "areas",
            "funding_source",
            "annual_value",
            "quality",
            "impact",
            "status",
            "notes",
        ]
        labels = {
            "service": "Name of the service",
            "description": "What the service does (optional)",
            "provider_name": "Provider's name",
            "funding_source": "Who funds it (optional)",
            "quality": "Quality",
            "impact": "Impact",
            "status": "Status",
            "notes": "Notes (optional)",
        }
        help_texts = {
            "service": "For example, Morecambe community pantry",
            "provider_name": "If the provider is not registered, for example NHS Lancashire "
            "and South Cumbria social prescribing",
            "funding_source": "For example, Lancashire County Council, National Lottery "
            "Community Fund",
            "quality": "How good the service is, from what we know",
            "impact": "How much difference it makes to people's lives",
            "status": "At risk means it may close or shrink, for example when its funding ends",
        }
        widgets = {
            "quality": forms.RadioSelect,
            "impact": forms.RadioSelect,
            "status": forms.RadioSelect,
        }
        error_messages = {
            "service": {
                "required": "Enter the name of the service",
                "max_length": "Name of the service must be 200 characters or fewer",
            },
            "provider_name": {"max_length": "Provider's name must be 200 characters or fewer"},
            "funding_source": {"max_length": "Who funds it must be 200 characters or fewer"},
            "quality": {"required": "Select the quality of the service"},
            "impact": {"required": "Select the impact of the service"},
            "status": {"required": "Select the status of the service"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas_for_choice()
        self.helper.layout = Layout(
            Field.text("service"),
            Field.textarea("description", rows=3),
            Fieldset(
                Field.select("organisation"),
                Field.text("provider_name"),
                legend="Who provides it",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("priority", legend_size=Size.SMALL),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
            Field.text("funding_source"),
            Field.text("annual_value", field_width=10),
            Field.radios("quality", legend_size=Size.SMALL, inline=True),
            Field.radios("impact", legend_size=Size.SMALL, inline=True),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            Field.textarea("notes", rows=3),
        )

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        provider_name = (cleaned.get("provider_name") or "").strip()
        if "organisation" in cleaned and "provider_name" in cleaned:
            if organisation is None and not provider_name:
                self.add_error("organisation", NO_PROVIDER)
            elif organisation is not None and provider_name:
                self.add_error("provider_name", BOTH_PROVIDERS)
        return cleaned


class ProvisionFilterForm(forms.Form):
    """The provision list's filters (GET), rendered as GOV.UK selects beside the list."""

    priority = forms.ModelChoiceField(
        label="Corporate Priority",
        required=False,
        queryset=CorporatePriority.objects.all(),
        empty_label="All priorities",
    )
    area = AreaFilterField(
        label="Area or ward", required=False, queryset=Area.objects.none(), empty_label="Anywhere"
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *ServiceProvision.Status.choices]
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
