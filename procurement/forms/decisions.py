"""The public register of award decisions: its search and filters (GET)."""

from django import forms

from engagement.forms.evidence import AreaFilterField, areas_for_choice
from procurement.forms.opportunities import OpportunityFilterForm
from procurement.models import FundingType
from procurement.selectors.decisions import FinancialYear, decision_financial_years

FILTERS = ("q", "sector", "priority", "area", "funding_type", "year")


class DecisionFilterForm(OpportunityFilterForm):
    """Search text and filters beside the register (sector and Corporate Priority as on the
    list of opportunities); an unknown choice is ignored rather than refused, so an old
    link still shows the register."""

    field_order = FILTERS

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Organisation name or org-id, what the money is for, or the programme",
    )
    area = AreaFilterField(
        label="Ward or area",
        required=False,
        queryset=areas_for_choice(),
        empty_label="Anywhere",
        to_field_name="slug",
    )
    funding_type = forms.ChoiceField(
        label="Grant or contract",
        required=False,
        choices=[("", "Grants and contracts"), *FundingType.choices],
    )
    year = forms.TypedChoiceField(
        label="Financial year of the decision",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_for_choice()
        self.fields["year"].choices = [("", "All years")] + [
            (str(year.start_year), year.label) for year in decision_financial_years()
        ]

    @property
    def filters(self) -> dict:
        """The selector's arguments for the filters chosen; a field that is not valid is
        left out, not the whole form."""
        self.is_valid()
        data = self.cleaned_data
        year = data.get("year")
        return {
            "search": data.get("q") or "",
            "sector": data.get("sector"),
            "priority": data.get("priority"),
            "area": data.get("area"),
            "funding_type": data.get("funding_type") or "",
            "financial_year": FinancialYear(year) if year else None,
        }

    @property
    def select_fields(self) -> list:
        """The filters shown as selects (the search box is shown on its own)."""
        return [self[name] for name in FILTERS if name != "q"]
