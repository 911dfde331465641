"""Opportunity alerts: what a person wants to hear of, by sector, Corporate Priority and
area; the same choices filter the Atom feed (GET)."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from commissioning.models import Area, CorporatePriority, Sector
from core.forms import BaseForm


def _sectors():
    return Sector.objects.order_by("order", "name")


def _priorities():
    return CorporatePriority.objects.filter(framework__is_current=True).order_by("order", "name")


def _areas():
    return Area.objects.filter(kind=Area.Kind.AREA).order_by("name")


class SectorChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.name


class AlertFilterForm(forms.Form):
    """The feed's filter, from the query string: slugs, each name repeatable."""

    sector = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.none(), to_field_name="slug", required=False
    )
    priority = forms.ModelMultipleChoiceField(
        queryset=CorporatePriority.objects.none(), to_field_name="slug", required=False
    )
    area = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(), to_field_name="slug", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _sectors()
        self.fields["priority"].queryset = _priorities()
        self.fields["area"].queryset = Area.objects.all()


class OpportunityAlertForm(BaseForm):
    """Set up or change the person's alert: leave a group empty to hear of every one."""

    submit_label = "Save your alert"

    sectors = SectorChoices(
        label="Sectors",
        help_text="Select all that apply, or none for every sector",
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select sectors from the list"},
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Corporate Priorities",
        help_text="Select all that apply, or none for every priority",
        queryset=CorporatePriority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select priorities from the list"},
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas",
        help_text="Select all that apply, or none for the whole district",
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select areas from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = _sectors()
        self.fields["priorities"].queryset = _priorities()
        self.fields["areas"].queryset = _areas()
        self.helper.layout = Layout(
            Field.checkboxes("sectors", legend_size=Size.SMALL, small=True),
            Field.checkboxes("priorities", legend_size=Size.SMALL, small=True),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
        )
