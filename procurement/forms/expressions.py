"""Forms for two-stage opportunities: the stages (officers), the expression of interest
(providers), and shortlisting (officers)."""

import datetime as dt

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Layout, Size
from django import forms
from django.utils import timezone

from core.forms import BaseForm, GovukDateField, MoneyField, TimeOfDayField, TransitionForm
from procurement.forms.bids import plain_number
from procurement.models import ExpressionOfInterest, ExpressionStage
from procurement.models.expressions import SUMMARY_WORD_LIMIT

ONE_STAGE, TWO_STAGES = "one", "two"


class ExpressionStageForm(BaseForm):
    """Whether the opportunity asks for expressions of interest first, and until when."""

    submit_label = "Save"

    stages = forms.ChoiceField(
        label="Does this opportunity have two stages?",
        choices=[
            (ONE_STAGE, "No, organisations send a full bid"),
            (TWO_STAGES, "Yes, a short expression of interest first, then a full bid"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the opportunity has two stages",
            "invalid_choice": "Select whether the opportunity has two stages",
        },
    )
    eoi_closes_date = GovukDateField(
        what="the deadline for expressions of interest",
        label="Date",
        required=False,
        help_text="Before the full bid deadline. For example, 15 1 2027",
    )
    eoi_closes_time = TimeOfDayField(
        what="the time expressions of interest close",
        label="Time",
        required=False,
        help_text="For example, 5pm",
    )

    def __init__(self, *args, stage: ExpressionStage | None, **kwargs):
        initial = {"stages": ONE_STAGE, "eoi_closes_time": dt.time(17, 0)}
        if stage is not None:
            closes_at = timezone.localtime(stage.closes_at)
            initial = {
                "stages": TWO_STAGES,
                "eoi_closes_date": closes_at.date(),
                "eoi_closes_time": closes_at.time(),
            }
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("stages", legend_size=Size.MEDIUM),
            Fieldset(
                Field("eoi_closes_date"),
                Field.text("eoi_closes_time", field_width=Fixed.FIVE),
                legend="When expressions of interest close (if two stages)",
                legend_size=Size.SMALL,
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stages") != TWO_STAGES:
            return cleaned
        date, time = cleaned.get("eoi_closes_date"), cleaned.get("eoi_closes_time")
        if date is None and not self.has_error("eoi_closes_date"):
            self.add_error("eoi_closes_date", "Enter the deadline for expressions of interest")
        if time is None and not self.has_error("eoi_closes_time"):
            self.add_error("eoi_closes_time", "Enter the time expressions of interest close")
        if date is not None and time is not None:
            cleaned["eoi_closes_at"] = timezone.make_aware(dt.datetime.combine(date, time))
        return cleaned

    @property
    def two_stages(self) -> bool:
        return self.cleaned_data["stages"] == TWO_STAGES


class ExpressionForm(BaseForm):
    """The short expression of interest: a summary, an estimate, who they work with."""

    submit_label = "Save and continue"

    summary = forms.CharField(
        label="Summary of your proposal",
        help_text=f"What you would do, for whom and where. {SUMMARY_WORD_LIMIT} words or "
        "fewer. Your full bid starts from this.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": "The summary must be 5,000 characters or fewer"},
    )
    amount_estimate = MoneyField(
        noun="the estimate of the amount you will ask for",
        label="Estimate of the amount you will ask for (£)",
        required=False,
    )
    partners = forms.CharField(
        label="Who you work with (optional)",
        help_text="Partners, other organisations or groups you would deliver this with",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Who you work with must be 3,000 characters or fewer"},
    )

    def __init__(self, *args, expression: ExpressionOfInterest, **kwargs):
        kwargs["initial"] = {
            "summary": expression.summary,
            "amount_estimate": plain_number(expression.amount_estimate),
            "partners": expression.partners,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("summary", rows=8, max_words=SUMMARY_WORD_LIMIT),
            Field.text("amount_estimate", field_width=10),
            Field.textarea("partners", rows=4),
        )


class ExpressionStartForm(BaseForm):
    """Which of the person's organisations expresses interest (asked when they have
    several)."""

    submit_label = "Start your expression of interest"

    organisation = forms.TypedChoiceField(
        label="Which organisation is expressing interest?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the organisation that is expressing interest",
            "invalid_choice": "Select the organisation that is expressing interest",
        },
    )

    def __init__(self, *args, organisations: list, **kwargs):
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].disabled = True
            self.initial["organisation"] = organisations[0].pk
            self.helper.layout = Layout(Field("organisation"))
        else:
            self.helper.layout = Layout(Field.radios("organisation", legend_size=Size.MEDIUM))

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class ExpressionTransitionForm(TransitionForm):
    """Confirms an action on an expression of interest; the reasons for a decision go to
    the organisation as feedback."""

    recorded = "with your name and sent to the organisation when the decisions are sent"


class ShortlistSendForm(BaseForm):
    submit_label = "Send the decisions"
