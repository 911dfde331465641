"""Forms for Commissioning Plans: the draft's words and specifications, lifecycle actions."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.forms.models import ModelChoiceIterator

from commissioning.models import CommissioningPlan, Sector, Specification
from commissioning.selectors.plans import plan_specification_choices
from core.forms import BaseModelForm, DayMonthYearField, TransitionForm
from core.templatetags.portal import money

# Hints in the framework's own words: what each section of a Commissioning Plan holds.
SECTION_HINTS = {
    "purpose": (
        "Why the council is investing: how the services will help it deliver the Corporate "
        "Priorities and have the maximum positive impact on the lives of people in the "
        "district and the local economy"
    ),
    "investment_levels": (
        "The levels of investment to be provided: the total, how it is shared between "
        "services and years, and any match funding or joint investment expected"
    ),
    "expected_outcomes": (
        "The outcomes to be achieved: end results for individuals, families and communities, "
        "for example “a cleaner, greener environment”"
    ),
    "procurement_arrangements": (
        "How services will be procured: grant rounds or tenders, how opportunities will be "
        "publicised, applicant workshops, the core criteria bids are assessed against, and "
        "timescales"
    ),
    "contractual_arrangements": (
        "What agreements will say: what the investment is for, the outcomes expected, "
        "payments, communications arrangements and the information needed to show progress"
    ),
    "performance_management": (
        "How performance will be monitored with delivery partners: monitoring returns, "
        "success measures and targets, with the emphasis on Outcomes and Value"
    ),
}


class _SpecificationIterator(ModelChoiceIterator):
    def choice(self, obj: Specification):
        value, label = super().choice(obj)
        return Choice(
            value,
            label,
            hint=(
                f"{obj.commission.reference} · {obj.commission.title} · "
                f"{money(obj.budget)} over {obj.duration_months} months"
            ),
        )


class SpecificationChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes for specifications, each with its commission and budget as a hint."""

    iterator = _SpecificationIterator

    def label_from_instance(self, obj: Specification) -> str:
        return obj.title


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.name


class PlanForm(BaseModelForm):
    """A draft plan: its sector, title, period, the six sections and, once it exists, the
    specifications it includes (only those of commissions in its sector)."""

    submit_label = "Save draft"

    sector = SectorChoiceField(
        queryset=Sector.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the sector"},
    )
    period_start = DayMonthYearField(
        label="Start of the period", help_text="For example, 1 4 2027", require_all_fields=False
    )
    period_end = DayMonthYearField(
        label="End of the period", help_text="For example, 31 3 2030", require_all_fields=False
    )
    specifications = SpecificationChoiceField(
        label="Service specifications in this plan",
        queryset=Specification.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CommissioningPlan
        fields = [
            "sector",
            "title",
            "period_start",
            "period_end",
            "purpose",
            "investment_levels",
            "expected_outcomes",
            "procurement_arrangements",
            "contractual_arrangements",
            "performance_management",
            "specifications",
        ]
        labels = {
            "title": "Title",
            "purpose": "Purpose",
            "investment_levels": "Levels of investment",
            "expected_outcomes": "Expected outcomes",
            "procurement_arrangements": "Procurement arrangements",
            "contractual_arrangements": "Contractual arrangements",
            "performance_management": "Performance management arrangements",
        }
        help_texts = {
            "title": "For example, Arts Commissioning Plan 2027 to 2030",
            **SECTION_HINTS,
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "purpose": {"required": "Enter the purpose of the plan"},
            "investment_levels": {"required": "Enter the levels of investment"},
            "expected_outcomes": {"required": "Enter the expected outcomes"},
            "procurement_arrangements": {"required": "Enter the procurement arrangements"},
            "contractual_arrangements": {"required": "Enter the contractual arrangements"},
            "performance_management": {"required": "Enter the performance management arrangements"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].error_messages["required"] = "Enter the start of the period"
        self.fields["period_end"].error_messages["required"] = "Enter the end of the period"
        sections = [Field.textarea(name, rows=8) for name in SECTION_HINTS]
        if self.instance.pk:
            # The specifications of the plan's sector's commissions; any already chosen from
            # elsewhere stay listed so they can be taken out.
            choices = plan_specification_choices(sector=self.instance.sector)
            chosen = self.instance.specifications.values_list("pk", flat=True)
            self.fields["specifications"].queryset = (
                choices | plan_specification_choices(sector=None).filter(pk__in=chosen)
            ).distinct()
            self.fields["specifications"].help_text = (
                f"Specifications of {self.instance.sector.name} commissions. "
                "Select all that this plan includes."
            )
            extra = [Field.checkboxes("specifications", legend_size=Size.MEDIUM)]
        else:
            del self.fields["specifications"]
            extra = []
        self.helper.layout = Layout(
            Field.radios("sector", legend_size=Size.SMALL),
            Field.text("title"),
            Field("period_start"),
            Field("period_end"),
            Fieldset(*sections, legend="What the plan says", legend_size=Size.MEDIUM),
            *extra,
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be after the start")
        sector = cleaned.get("sector")
        specifications = cleaned.get("specifications")
        if sector and specifications:
            wrong = [s for s in specifications if s.commission.sector_id != sector.pk]
            if wrong:
                self.add_error(
                    "specifications",
                    f"Select only specifications for {sector.name} commissions",
                )
        return cleaned


class PlanTransitionForm(TransitionForm):
    """Confirms a plan's lifecycle action; reasons go on the plan's timeline."""

    recorded = "on the plan’s timeline"
