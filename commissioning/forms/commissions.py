from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from commissioning.models import (
    Area,
    Commission,
    CommissionState,
    CorporatePriority,
    CrossCuttingTheme,
    Sector,
    Stage,
)
from commissioning.selectors.framework_periods import framework_of_commission
from core.forms import BaseModelForm, DayMonthYearField, MoneyField, TransitionForm
from core.models import User
from core.roles import Role


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        if obj.kind == Area.Kind.AREA:
            return f"{obj.name} (whole area)"
        return f"{obj.name} ward, {obj.parent.name}" if obj.parent_id else f"{obj.name} ward"


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


def officers():
    return User.objects.filter(groups__name=Role.OFFICER.value, is_active=True).order_by(
        "full_name", "email"
    )


class CommissionForm(BaseModelForm):
    submit_label = "Save commission"

    sector = forms.ModelChoiceField(
        queryset=Sector.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the sector"},
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Corporate Priorities it serves",
        queryset=CorporatePriority.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one Corporate Priority"},
    )
    themes = forms.ModelMultipleChoiceField(
        label="Cross-cutting themes",
        queryset=CrossCuttingTheme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas = AreaChoiceField(
        label="Wards and areas",
        help_text="Select whole areas, or the wards the services are for",
        queryset=Area.objects.select_related("parent").order_by("kind", "parent__name", "name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one ward or area"},
    )
    indicative_budget = MoneyField(
        noun="the indicative budget",
        label="Indicative budget (£)",
        help_text="In pounds, for the whole period, for example 150000",
    )
    period_start = DayMonthYearField(
        label="Start of the period", help_text="For example, 1 4 2027", require_all_fields=False
    )
    period_end = DayMonthYearField(
        label="End of the period", help_text="For example, 31 3 2030", require_all_fields=False
    )
    lead_officer = OfficerChoiceField(
        label="Lead officer",
        queryset=User.objects.none(),
        error_messages={"required": "Select the lead officer"},
    )

    class Meta:
        model = Commission
        fields = [
            "title",
            "sector",
            "priorities",
            "themes",
            "areas",
            "indicative_budget",
            "period_start",
            "period_end",
            "lead_officer",
            "summary",
        ]
        labels = {"title": "Title", "summary": "Summary"}
        help_texts = {
            "summary": "What the commission is for and who it will help, in plain English",
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "summary": {"required": "Enter a summary"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers()
        # The priorities and themes of the framework period the commission is opened in.
        framework = framework_of_commission(commission=self.instance)
        if framework is not None:
            for name in ("priorities", "themes"):
                self.fields[name].queryset = self.fields[name].queryset.filter(framework=framework)
        self.fields["period_start"].error_messages["required"] = "Enter the start of the period"
        self.fields["period_end"].error_messages["required"] = "Enter the end of the period"
        self.helper.layout = Layout(
            Field.text("title"),
            Field.radios("sector", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
            Field.checkboxes("themes", legend_size=Size.SMALL),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
            Field.text("indicative_budget", field_width=10),
            Field("period_start"),
            Field("period_end"),
            Field.select("lead_officer"),
            Field.textarea("summary", rows=5),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be after the start")
        return cleaned


class CommissionTransitionForm(TransitionForm):
    """Confirms a commission's lifecycle action; reasons go on the commission's timeline."""

    recorded = "on the commission's timeline"


class DashboardFilterForm(forms.Form):
    """The staff dashboard's filters (GET), rendered as GOV.UK selects beside the list."""

    stage = forms.ChoiceField(
        required=False,
        choices=[("", "All stages")]
        + list(Stage.choices)
        + [(CommissionState.CANCELLED, "Cancelled")],
    )
    sector = forms.ModelChoiceField(
        required=False, queryset=Sector.objects.all(), empty_label="All sectors"
    )
    priority = forms.ModelChoiceField(
        required=False, queryset=CorporatePriority.objects.all(), empty_label="All priorities"
    )
    lead_officer = OfficerChoiceField(
        required=False, queryset=User.objects.none(), empty_label="All lead officers"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers()
