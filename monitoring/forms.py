"""Forms for monitoring: the provider's return (everything the portal knows is shown, not
asked), evidence uploads, the officer's comments on each part when asking for changes,
the RAG status, and payments made and held."""

import datetime
from decimal import Decimal

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from core.forms import BaseForm, CountField, GovukDateField, MoneyField, TransitionForm
from core.uploads import CheckedFileField
from monitoring import selectors
from monitoring.models import Rating, Section
from monitoring.periods import ActualLine
from monitoring.services import ReturnAnswers, actual_field, return_answers_check

LONG_TEXT = 10000


def _text(label: str, *, hint: str = "", rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {LONG_TEXT:,} characters or fewer"},
    )


def _figure(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"


class ReturnForm(BaseForm):
    """The provider's return. Nothing is required to save a draft; what submitting needs is
    checked on the check-answers page. Figures must not be negative; an actual over twice
    the period's share of its target asks "Is this right?" (a box to tick) once."""

    submit_label = ""  # the template has "Save and continue" and "Save as draft"

    outcomes_narrative = _text(
        "What did the service achieve towards its outcomes in this period?",
        hint="Describe the difference the service made for people, not only what you did",
        rows=8,
    )
    case_study = _text(
        "Case study (optional)",
        hint="The story of one person or group the service helped. Leave out anything that "
        "would identify them unless they have agreed to it being published",
        rows=8,
    )
    case_study_consent = forms.BooleanField(
        label="The people in the case study agree to the council publishing it",
        required=False,
    )
    spend_in_period = MoneyField(noun="the spending in the period", required=False)
    spend_explanation = _text(
        "Why is spending to date more than the award?",
        hint="Only if spending to date is more than the award: say where the rest of the "
        "money came from",
        rows=4,
    )
    risks = _text(
        "Risks and issues",
        hint="Anything that could stop the service achieving its targets, and what you are "
        "doing about it",
        rows=5,
    )

    def __init__(self, *args, monitoring_return, lines: list[ActualLine], **kwargs):
        self.monitoring_return = monitoring_return
        self.lines = lines
        super().__init__(*args, **kwargs)
        self.fields["spend_in_period"].label = "How much did you spend in this period?"
        self.fields["spend_in_period"].help_text = "In pounds, for example 2500"
        for line in lines:
            target = line.target
            self.fields[actual_field(target.pk)] = CountField(
                label=f"{target.measure}: {target.unit} this period",
                required=False,
                error_messages={
                    "invalid": f"The number of {target.unit} must be a number, like 25",
                    "min_value": f"The number of {target.unit} must be 0 or more",
                    "max_digits": f"The number of {target.unit} must be less than 10 billion",
                    "max_whole_digits": f"The number of {target.unit} must be less than 10 billion",
                    "max_decimal_places": f"The number of {target.unit} must have no more "
                    "than 2 decimal places",
                },
            )
            self.fields[f"confirm_{target.pk}"] = forms.BooleanField(
                label="Yes, this number is right", required=False
            )
        self.helper.layout = Layout()

    def actual_rows(self):
        """(line, actual field, confirm field, asks "Is this right?") for the template."""
        rows = []
        for line in self.lines:
            field = self[actual_field(line.target.pk)]
            asks = "Is this right?" in " ".join(field.errors)
            rows.append((line, field, self[f"confirm_{line.target.pk}"], asks))
        return rows

    def clean(self):
        """The service's checks too (high actuals, spending above the award), so that every
        problem is shown at once, beside its field; the service checks again as it saves."""
        cleaned = super().clean()
        problems = return_answers_check(
            monitoring_return=self.monitoring_return, answers=self.answers()
        )
        for name, message in problems.items():
            if name == "__all__":
                self.add_error(None, message)
            elif name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def answers(self) -> ReturnAnswers:
        data = self.cleaned_data
        return ReturnAnswers(
            actuals={line.target.pk: data.get(actual_field(line.target.pk)) for line in self.lines},
            outcomes_narrative=data.get("outcomes_narrative", ""),
            case_study=data.get("case_study", ""),
            case_study_consent=data.get("case_study_consent", False),
            spend_in_period=data.get("spend_in_period"),
            spend_explanation=data.get("spend_explanation", ""),
            risks=data.get("risks", ""),
            confirmed=frozenset(
                line.target.pk for line in self.lines if data.get(f"confirm_{line.target.pk}")
            ),
        )

    def typed_actuals(self) -> dict[int, Decimal | None]:
        """What has been typed that is a valid number, for the figures beside the fields."""
        data = getattr(self, "cleaned_data", {})
        return {
            line.target.pk: data[actual_field(line.target.pk)]
            for line in self.lines
            if actual_field(line.target.pk) in data
        }


def return_form_initial(*, monitoring_return, lines: list[ActualLine]) -> dict:
    initial = {
        "outcomes_narrative": monitoring_return.outcomes_narrative,
        "case_study": monitoring_return.case_study,
        "case_study_consent": monitoring_return.case_study_consent,
        "spend_in_period": monitoring_return.spend_in_period,
        "spend_explanation": monitoring_return.spend_explanation,
        "risks": monitoring_return.risks,
    }
    for line in lines:
        initial[actual_field(line.target.pk)] = _figure(line.actual).replace(",", "")
    return initial


# --- Evidence -------------------------------------------------------------------------------------


class EvidenceFileField(CheckedFileField):
    """A checked upload that remembers the name the file came with, for showing."""

    def to_python(self, data):
        original = data.name if isinstance(data, UploadedFile) else ""
        uploaded = super().to_python(data)
        if isinstance(uploaded, UploadedFile):
            uploaded.original_name = original
        return uploaded


class EvidenceForm(BaseForm):
    submit_label = "Upload file"

    file = EvidenceFileField(
        label="Upload a file",
        allowed=selectors.ATTACHMENT_TYPES,
        max_size=selectors.MAX_ATTACHMENT_SIZE,
        help_text=(
            "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), PNG or JPEG. Each "
            "file must be smaller than 10MB, and all your files together 25MB or less"
        ),
        error_messages={"required": "Select a file to upload"},
    )

    def __init__(self, *args, monitoring_return, **kwargs):
        self.monitoring_return = monitoring_return
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("file"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        problem = selectors.return_attachment_total_problem(
            monitoring_return=self.monitoring_return, adding=uploaded.size
        )
        if problem:
            raise ValidationError(problem)
        return uploaded


# --- Review ---------------------------------------------------------------------------------------


class ReturnTransitionForm(TransitionForm):
    """Confirms submitting or accepting a return (a note is optional)."""

    recorded = "with your name in the return’s history"


class ChangesRequestForm(ReturnTransitionForm):
    """Asking for changes: a comment on each part of the return that needs one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("reason")
        for section in Section:
            self.fields[f"comment_{section.value}"] = forms.CharField(
                label=f"What needs changing in “{section.label}”? (optional)",
                required=False,
                max_length=LONG_TEXT,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": f"The comment must be {LONG_TEXT:,} characters or fewer"
                },
            )
        self.helper.layout = Layout(
            Field("seen_state"),
            *(Field.textarea(f"comment_{section.value}", rows=3) for section in Section),
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"comment_{section.value}", "").strip() for section in Section):
            self.add_error(
                f"comment_{Section.ACTUALS.value}",
                "Enter a comment on at least one part of the return that needs changing",
            )
        return cleaned

    def comments(self) -> dict[str, str]:
        return {
            section.value: self.cleaned_data.get(f"comment_{section.value}", "")
            for section in Section
        }


# --- RAG and payments -----------------------------------------------------------------------------


class RagForm(BaseForm):
    submit_label = "Save the RAG status"

    rating = forms.ChoiceField(
        label="How is the agreement going?",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select red, amber or green"},
    )
    reason = forms.CharField(
        label="Why?",
        help_text="The reasons are kept with the rating, in the agreement’s history",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT,
        error_messages={
            "required": "Enter why you gave this rating",
            "max_length": f"The reasons must be {LONG_TEXT:,} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [
            (Rating.GREEN, "Green – on track"),
            (Rating.AMBER, "Amber – some concerns"),
            (Rating.RED, "Red – serious concerns"),
        ]
        self.helper.layout = Layout(
            Field.radios("rating", legend_size=Size.SMALL), Field.textarea("reason", rows=4)
        )


class PaymentPaidForm(BaseForm):
    submit_label = "Record the payment"

    invoice_received_on = GovukDateField(
        what="the date the invoice was received",
        label="Date the invoice was received (if the provider invoiced)",
        help_text="The council pays within 30 days of receiving an invoice. For example, 3 3 2027",
        required=False,
    )
    paid_on = GovukDateField(
        what="the date paid", label="Date paid", help_text="For example, 1 4 2027"
    )
    amount = MoneyField(noun="the amount paid", label="Amount paid")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("invoice_received_on"), Field("paid_on"), Field("amount"))

    def clean(self):
        cleaned = super().clean()
        received, paid_on = cleaned.get("invoice_received_on"), cleaned.get("paid_on")
        if received and paid_on and received > paid_on:
            self.add_error(
                "invoice_received_on",
                "The date the invoice was received must be the same as or before the date paid",
            )
        return cleaned

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise ValidationError("The amount paid must be more than £0")
        return amount

    def clean_paid_on(self) -> datetime.date:
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise ValidationError("The date paid must be today or in the past")
        return paid_on


class PaymentHoldForm(BaseForm):
    submit_label = "Hold the payment"

    monitoring_return = forms.TypedChoiceField(
        label="Hold the payment until which return is accepted?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the return the payment waits for",
            "invalid_choice": "Select one of this agreement’s returns",
        },
    )

    def __init__(self, *args, returns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monitoring_return"].choices = [
            (r.pk, f"{r.period_label} ({r.get_state_display().lower()})") for r in returns
        ]
        self.helper.layout = Layout(Field.radios("monitoring_return", legend_size=Size.SMALL))
