"""Forms for designing a service specification and for the success-measure library.

Outcomes, lots and service-specific criteria are edited as lists: a formset of row forms,
each with a hidden `id` for a row that already exists. A row left blank is ignored; an
existing row cleared is removed.
"""

from decimal import Decimal

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from commissioning.models import (
    CorporatePriority,
    Specification,
    SpecificationMeasure,
    SpecificationOutcome,
    SuccessMeasure,
)
from commissioning.services.specifications import CriterionRow, LotRow, OutcomeRow
from core.forms import BaseForm, BaseModelForm, CountField, MoneyField
from providers.models import Organisation


def plain_number(value: Decimal | None) -> Decimal | None:
    """20 rather than 20.00 in an input, 12.5 rather than 12.50."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


# --- The main details ---------------------------------------------------------------------------


class PartnerOrganisationField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.org_id})"


class SpecificationForm(BaseModelForm):
    submit_label = "Save specification"

    budget = MoneyField(
        noun="the budget",
        label="Budget (£)",
        help_text="For the whole of the service, in pounds, for example 60000",
    )
    duration_months = forms.IntegerField(
        label="Duration in months",
        help_text="How long the service will run, for example 36 for three years",
        min_value=1,
        max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the duration in months",
            "invalid": "Duration must be a whole number of months, like 36",
            "min_value": "Duration must be at least 1 month",
            "max_value": "Duration must be 120 months or fewer",
        },
    )
    partner_organisations = PartnerOrganisationField(
        label="Organisations that helped design it (optional)",
        help_text="Verified organisations in the commission’s sector",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select organisations from the list"},
    )

    class Meta:
        model = Specification
        fields = [
            "title",
            "summary",
            "budget",
            "duration_months",
            "eligibility",
            "sector_partners",
            "partner_organisations",
        ]
        labels = {
            "title": "Title",
            "summary": "Service description",
            "eligibility": "Who is eligible to bid",
            "sector_partners": "Sector partners involved in design (optional)",
        }
        help_texts = {
            "title": "For example, Befriending and lunch clubs for older people",
            "summary": "What the service will do, for whom and where, in plain English",
            "eligibility": "Who may bid, and what they must have in place",
            "sector_partners": (
                "The organisations, groups and people who helped design the service, "
                "and how they took part"
            ),
        }
        error_messages = {
            "title": {
                "required": "Enter a title",
                "max_length": "Title must be 200 characters or fewer",
            },
            "summary": {"required": "Enter a description of the service"},
            "eligibility": {"required": "Enter who is eligible to bid"},
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["budget"] = plain_number(self.instance.budget)
        fields = [
            Field.text("title"),
            Field.textarea("summary", rows=6),
            Field.text("budget", field_width=10),
            Field.text("duration_months", field_width=3),
            Field.textarea("eligibility", rows=4),
            Field.textarea("sector_partners", rows=4),
        ]
        if organisations is not None and organisations.exists():
            self.fields["partner_organisations"].queryset = organisations
            fields.append(Field.checkboxes("partner_organisations", legend_size=Size.SMALL))
        else:
            del self.fields["partner_organisations"]
        self.helper.layout = Layout(*fields)


# --- Rows of a list: outcomes, lots, service-specific criteria ----------------------------------


class RowFormSet(forms.BaseFormSet):
    """Numbers its forms ("Lot 2") and turns the filled-in ones into service rows."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}

    def rows(self) -> list:
        return [form.row() for form in self.forms if not form.is_blank]


class RowForm(BaseForm):
    submit_label = ""
    row_fields: tuple[str, ...] = ()

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, number: int = 1, **kwargs):
        self.number = number
        super().__init__(*args, **kwargs)

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) not in (None, "") for name in self.row_fields)

    def row(self):
        raise NotImplementedError


def _row_id(form: RowForm) -> int | None:
    return form.cleaned_data.get("id")


class OutcomeForm(RowForm):
    row_fields = ("description",)

    description = forms.CharField(required=False, widget=forms.Textarea)

    def prepare_fields(self) -> None:
        self.fields["description"].label = f"Outcome {self.number}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("id"), Field.textarea("description", rows=3))

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()

    def row(self) -> OutcomeRow:
        return OutcomeRow(id=_row_id(self), description=self.cleaned_data["description"])


OutcomeFormSet = forms.formset_factory(OutcomeForm, formset=RowFormSet, extra=3)


class LotForm(RowForm):
    row_fields = ("name", "description", "budget")

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        error_messages={"max_length": "Name must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )
    budget = MoneyField(noun="the budget", required=False)  # worded per lot below

    def prepare_fields(self) -> None:
        self.fields["budget"] = MoneyField(
            noun=f"the budget for lot {self.number}",
            label="Budget (£)",
            required=False,
            help_text="In pounds, for example 20000",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(
                Field("id"),
                Field.text("name"),
                Field.textarea("description", rows=3),
                Field.text("budget", field_width=10),
                legend=f"Lot {self.number}",
                legend_size=Size.MEDIUM,
            )
        )

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank:
            if not cleaned.get("name", "").strip() and "name" not in self.errors:
                self.add_error("name", f"Enter the name of lot {self.number}")
            if cleaned.get("budget") is None and "budget" not in self.errors:
                self.add_error("budget", f"Enter the budget for lot {self.number}")
        return cleaned

    def row(self) -> LotRow:
        data = self.cleaned_data
        return LotRow(
            id=_row_id(self),
            name=data["name"],
            description=data.get("description", ""),
            budget=data["budget"],
        )


LotFormSet = forms.formset_factory(LotForm, formset=RowFormSet, extra=2)

WEIGHT_RANGE = "Weight must be between 0 and 100"


class CriterionForm(RowForm):
    row_fields = ("name", "description", "weight")

    name = forms.CharField(
        label="Criterion",
        required=False,
        max_length=200,
        help_text="For example, Staff hold a recognised safeguarding qualification",
        error_messages={"max_length": "Criterion must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="What bidders must show (optional)", required=False, widget=forms.Textarea
    )
    weight = forms.DecimalField(
        label="Weight",
        help_text="From 0 to 100",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Weight must be a number, like 20",
            "min_value": WEIGHT_RANGE,
            "max_value": WEIGHT_RANGE,
            "max_decimal_places": "Weight must have no more than 2 decimal places",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(
                Field("id"),
                Field.text("name"),
                Field.textarea("description", rows=3),
                Field.text("weight", field_width=4),
                legend=f"Criterion {self.number}",
                legend_size=Size.MEDIUM,
            )
        )

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank:
            if not cleaned.get("name", "").strip() and "name" not in self.errors:
                self.add_error("name", f"Enter criterion {self.number}")
            if cleaned.get("weight") is None and "weight" not in self.errors:
                self.add_error("weight", f"Enter the weight for criterion {self.number}")
        return cleaned

    def row(self) -> CriterionRow:
        data = self.cleaned_data
        return CriterionRow(
            id=_row_id(self),
            name=data["name"],
            description=data.get("description", ""),
            weight=data["weight"],
        )


CriterionFormSet = forms.formset_factory(CriterionForm, formset=RowFormSet, extra=3)


# --- Success measures ---------------------------------------------------------------------------


class SuccessMeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SuccessMeasure) -> str:
        return f"{obj.name} ({obj.unit})"


class OutcomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SpecificationOutcome) -> str:
        return obj.description


class TargetField(CountField):
    """A year's target in a specification."""

    def __init__(self, *, year: int, **kwargs):
        super().__init__(
            label=f"Year {year}",
            error_messages={
                "required": f"Enter a target for year {year}",
                "invalid": "Target must be a number, like 40",
                "min_value": "Target must be 0 or more",
                "max_digits": "Target must be less than 10 billion",
                "max_whole_digits": "Target must be less than 10 billion",
                "max_decimal_places": "Target must have no more than 2 decimal places",
            },
            **kwargs,
        )


class SpecificationMeasureForm(BaseForm):
    """Choose a measure from the library (or change one already chosen): the outcome it
    serves and a target for each year of the service."""

    measure = SuccessMeasureChoiceField(
        label="Success measure",
        help_text="From the library of success measures, by name",
        queryset=SuccessMeasure.objects.none(),
        empty_label="Choose a success measure",
        error_messages={
            "required": "Select a success measure",
            "invalid_choice": "Select a success measure from the list",
        },
    )
    outcome = OutcomeChoiceField(
        label="Which outcome does it measure progress towards?",
        queryset=SpecificationOutcome.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the outcome it measures progress towards",
            "invalid_choice": "Select one of this specification’s outcomes",
        },
    )

    def __init__(
        self,
        *args,
        specification: Specification,
        years: list[int],
        measures,
        chosen: SpecificationMeasure | None = None,
        **kwargs,
    ):
        self.chosen = chosen
        self.submit_label = "Save targets" if chosen else "Add success measure"
        if chosen is not None:
            kwargs["initial"] = {
                "outcome": chosen.outcome_id,
                **{f"target_{t.year}": plain_number(t.target) for t in chosen.targets.all()},
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        self.years = years
        outcomes = list(specification.outcomes.all())
        layout = []
        if chosen is None:
            self.fields["measure"].queryset = measures
            layout.append(Field.select("measure"))
        else:
            del self.fields["measure"]
        if outcomes:
            self.fields["outcome"].queryset = specification.outcomes.all()
            if len(outcomes) == 1 and chosen is None:
                self.initial.setdefault("outcome", outcomes[0].pk)  # the only choice
            layout.append(Field.radios("outcome", legend_size=Size.SMALL))
        else:
            del self.fields["outcome"]
        for year in years:
            self.fields[f"target_{year}"] = TargetField(year=year)
        unit = f" ({chosen.measure.unit})" if chosen else ""
        layout.append(
            Fieldset(
                *(Field.text(f"target_{year}", field_width=5) for year in years),
                legend=f"Target for each year{unit}",
                legend_size=Size.SMALL,
            )
        )
        self.helper.layout = Layout(*layout)

    def targets(self) -> dict[int, Decimal]:
        return {year: self.cleaned_data[f"target_{year}"] for year in self.years}


class SuccessMeasureForm(BaseForm):
    submit_label = "Add to the library"

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="What is achieved, for example Training sessions provided",
        error_messages={
            "required": "Enter the name of the success measure",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    unit = forms.CharField(
        label="Unit",
        max_length=60,
        help_text="What is counted, for example sessions, hectares or people",
        error_messages={
            "required": "Enter the unit, like sessions",
            "max_length": "Unit must be 60 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="How it is counted, so every provider counts it the same way",
    )
    priority = forms.ModelChoiceField(
        label="Corporate Priority it contributes to (optional)",
        queryset=CorporatePriority.objects.all(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Select a Corporate Priority from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("unit", field_width=20),
            Field.textarea("description", rows=4),
            Field.select("priority"),
        )
