"""Forms for evaluation: the provider's end-of-grant report, the officer's evaluation, a
lesson learned, the lessons library's filters and opening the next cycle."""

from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from commissioning.models import Area, CorporatePriority, CrossCuttingTheme
from core.forms import BaseForm, DayMonthYearField, MoneyField
from engagement.forms.evidence import AreaFilterField, area_label, areas_for_choice
from monitoring.models import NextCycleKind, Recommendation

LONG_TEXT = 10000


def _text(label: str, *, hint: str = "", rows: int = 5, required: bool = False):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}".rstrip("?"),
            "max_length": f"{label.rstrip('?')} must be {LONG_TEXT:,} characters or fewer",
        },
    )


class EndOfGrantReportForm(BaseForm):
    """The provider's end-of-grant report: three questions, saved as a draft or sent."""

    submit_label = "Send the report to the council"

    what_worked = _text("What worked?", hint="What went well, for the people the service is for")
    what_did_not_work = _text("What did not work?", hint="What did not go as planned, and why")
    what_would_change = _text(
        "What would you change?",
        hint="If the service ran again, what would you do differently",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.add_input(Submit("draft", "Save as draft", css_class="govuk-button--secondary"))


class EvaluationForm(BaseForm):
    """The officer's evaluation: the impact and a recommendation. Outcomes and spending are
    shown from the accepted returns, never typed."""

    submit_label = "Save the evaluation"

    impact_summary = _text(
        "Impact",
        hint="The difference the investment made: for whom, how much, and how you know",
        rows=6,
    )
    recommendation = forms.ChoiceField(
        label="What do you recommend for the next cycle?",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.add_input(
            Submit(
                "complete", "Save and complete the evaluation", css_class="govuk-button--secondary"
            )
        )
        self.helper.layout = Layout(
            Field.textarea("impact_summary", rows=6),
            Field.radios("recommendation", legend_size=Size.SMALL),
        )


class AreaOrDistrictField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return area_label(obj)


class LessonForm(BaseForm):
    submit_label = "Add the lesson"

    text = _text(
        "Lesson",
        hint="What was learned, written so that whoever plans the next service can act on it",
        required=True,
    )
    priority = forms.ModelChoiceField(
        label="Corporate Priority",
        queryset=CorporatePriority.objects.none(),
        empty_label="Select a priority",
        error_messages={"required": "Select the priority the lesson is about"},
    )
    area = AreaOrDistrictField(
        label="Area or ward",
        queryset=Area.objects.none(),
        required=False,
        empty_label="The whole district",
    )
    theme = forms.ModelChoiceField(
        label="Cross-cutting theme (optional)",
        queryset=CrossCuttingTheme.objects.none(),
        required=False,
        empty_label="No theme",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = CorporatePriority.objects.order_by("order", "name")
        self.fields["area"].queryset = areas_for_choice()
        self.fields["theme"].queryset = CrossCuttingTheme.objects.order_by("order", "name")
        self.fields["text"].error_messages["required"] = "Enter the lesson"
        self.helper.layout = Layout(
            Field.textarea("text", rows=4),
            Field.select("priority"),
            Field.select("area"),
            Field.select("theme"),
        )


class LessonFilterForm(forms.Form):
    """The lessons library's search and filters (GET)."""

    q = forms.CharField(label="Search lessons", required=False, max_length=200)
    priority = forms.ModelChoiceField(
        label="Corporate Priority",
        required=False,
        queryset=CorporatePriority.objects.none(),
        empty_label="All priorities",
    )
    area = AreaFilterField(
        label="Area or ward", required=False, queryset=Area.objects.none(), empty_label="Anywhere"
    )
    theme = forms.ModelChoiceField(
        label="Cross-cutting theme",
        required=False,
        queryset=CrossCuttingTheme.objects.none(),
        empty_label="All themes",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = CorporatePriority.objects.order_by("order", "name")
        self.fields["area"].queryset = areas_for_choice()
        self.fields["theme"].queryset = CrossCuttingTheme.objects.order_by("order", "name")

    @property
    def filters(self) -> dict:
        """The filters to apply: none when the form is not valid."""
        if not self.is_valid():
            return {}
        data = {key: value for key, value in self.cleaned_data.items() if value}
        if "q" in data:
            data["query"] = data.pop("q").replace("\x00", "")
        return data


class NextCycleForm(BaseForm):
    """Open the next cycle: recommission or redesign, for the next period."""

    submit_label = "Open the next cycle"

    kind = forms.ChoiceField(
        label="How should the next cycle start?",
        choices=[
            (
                NextCycleKind.RECOMMISSION,
                "Recommission: a new commission for the next period, starting at Understand",
            ),
            (
                NextCycleKind.REDESIGN,
                "Redesign: a new commission starting at planning, with this commission’s "
                "specifications copied as drafts",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select recommission or redesign"},
    )
    title = forms.CharField(
        label="Title of the new commission",
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 200 characters or fewer",
        },
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].error_messages["required"] = "Enter the start of the period"
        self.fields["period_end"].error_messages["required"] = "Enter the end of the period"
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("title"),
            Field.text("indicative_budget", field_width=10),
            Field("period_start"),
            Field("period_end"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be after the start")
        return cleaned
