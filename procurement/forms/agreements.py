"""Forms for agreements: the draft's details, the payment schedule, accepting, variations
and the staff list's filters. Lifecycle actions are confirmed with core.forms.TransitionForm."""

import datetime
from decimal import Decimal

from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import format_html

from core.forms import BaseForm, CountField, GovukDateField, MoneyField
from monitoring.forms_dashboards import RAG_CHOICES, PortfolioFilterForm
from procurement.forms.bids import plain_number
from procurement.models import Agreement, AgreementState, MonitoringFrequency
from procurement.services.agreements import (
    PaymentRow,
    payment_date_problem,
    payments_total_problem,
)

# --- The draft's details --------------------------------------------------------------------------


class AgreementForm(BaseForm):
    """What an officer may change in a draft. The amount, targets and payments come from
    the award and the specification (payments have their own page)."""

    submit_label = "Save the agreement"

    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea,
        help_text="What the money is for, in plain English",
        error_messages={"required": "Enter the purpose of the agreement"},
    )
    starts_on = GovukDateField(
        what="the start date", label="Start date", help_text="For example, 1 4 2027"
    )
    ends_on = GovukDateField(
        what="the end date", label="End date", help_text="For example, 31 3 2030"
    )
    monitoring_frequency = forms.ChoiceField(
        label="How often monitoring returns are due",
        choices=MonitoringFrequency.choices,
        widget=forms.RadioSelect,
        help_text="Changing this or the dates makes the monitoring schedule again",
        error_messages={"required": "Select how often monitoring returns are due"},
    )
    communications = forms.CharField(
        label="Communications arrangements",
        widget=forms.Textarea,
        required=False,
        help_text="Who the contacts are, how often you meet, how the council's support is "
        "acknowledged",
    )
    special_conditions = forms.CharField(
        label="Special conditions (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="Conditions of this award beyond the council's standard terms",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("purpose", rows=5),
            Field("starts_on"),
            Field("ends_on"),
            Field.radios("monitoring_frequency", legend_size=Size.SMALL),
            Field.textarea("communications", rows=5),
            Field.textarea("special_conditions", rows=4),
        )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The end date must be after the start date")
        return cleaned


def agreement_form_initial(*, agreement: Agreement) -> dict:
    return {
        "purpose": agreement.purpose,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "monitoring_frequency": agreement.monitoring_frequency,
        "communications": agreement.communications,
        "special_conditions": agreement.special_conditions,
    }


# --- Payment schedules ----------------------------------------------------------------------------


class PaymentForm(BaseForm):
    """One instalment: when, how much and what for. A blank row is ignored."""

    submit_label = ""

    def __init__(self, *args, number: int = 1, **kwargs):
        self.number = number
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(
                Field("due_on"),
                Field.text("amount", field_width=10),
                Field.text("description"),
                legend=f"Payment {number}",
                legend_size=Size.SMALL,
            )
        )

    def prepare_fields(self) -> None:
        number = self.number
        self.fields["due_on"] = GovukDateField(
            what=f"the date of payment {number}",
            label="Payment date",
            required=False,
            help_text="For example, 1 7 2027" if number == 1 else "",
        )
        self.fields["amount"] = MoneyField(
            noun=f"the amount of payment {number}", label="Amount (£)", required=False
        )
        self.fields["description"] = forms.CharField(
            label="Description (optional)",
            required=False,
            max_length=200,
            help_text="For example, Quarter 1 in advance" if number == 1 else "",
            error_messages={"max_length": "The description must be 200 characters or fewer"},
        )

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return (
            data.get("due_on") is None
            and data.get("amount") is None
            and not (data.get("description") or "").strip()
            and not self.has_error("due_on")
            and not self.has_error("amount")
        )

    def clean(self):
        cleaned = super().clean()
        if self.is_blank:
            return cleaned
        if cleaned.get("due_on") is None and not self.has_error("due_on"):
            self.add_error("due_on", f"Enter the date of payment {self.number}")
        amount = cleaned.get("amount")
        if amount is None and not self.has_error("amount"):
            self.add_error("amount", f"Enter the amount of payment {self.number}")
        elif amount is not None and amount <= 0:
            self.add_error("amount", f"The amount of payment {self.number} must be more than £0")
        return cleaned

    def row(self) -> PaymentRow:
        data = self.cleaned_data
        return PaymentRow(
            due_on=data["due_on"], amount=data["amount"], description=data.get("description", "")
        )


class BasePaymentFormSet(forms.BaseFormSet):
    """The instalments. With `amount`, they must add up to it; each date must be within
    the period (`starts_on` to `ends_on`, which a variation's form may set before checking)."""

    def __init__(
        self,
        *args,
        amount: Decimal | None = None,
        starts_on: datetime.date,
        ends_on: datetime.date,
        **kwargs,
    ):
        self.amount = amount
        self.starts_on = starts_on
        self.ends_on = ends_on
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = {**super().get_form_kwargs(index), "number": (index or 0) + 1}
        if index is not None:
            # Every row is checked, even one left as it was: the form ignores a blank row.
            kwargs["empty_permitted"] = False
        return kwargs

    def rows(self) -> list[PaymentRow]:
        return [form.row() for form in self.forms if not form.is_blank]

    @property
    def total(self) -> Decimal:
        total = Decimal(0)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("amount"):
                total += data["amount"]
        return total

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        for form in self.forms:
            if form.is_blank:
                continue
            problem = payment_date_problem(
                due_on=form.cleaned_data["due_on"], starts_on=self.starts_on, ends_on=self.ends_on
            )
            if problem:
                form.add_error(
                    "due_on", f"Payment {form.number}: {problem[0].lower()}{problem[1:]}"
                )
        if any(form.errors for form in self.forms):
            return
        rows = self.rows()
        if not rows:
            raise forms.ValidationError("Enter at least one payment")
        if self.amount is not None:
            problem = payments_total_problem(total=self.total, amount=self.amount)
            if problem:
                raise forms.ValidationError(problem)

    @property
    def total_error(self) -> str:
        errors = self.non_form_errors()
        return errors[0] if errors else ""


PaymentFormSet = forms.formset_factory(
    PaymentForm, formset=BasePaymentFormSet, extra=2, max_num=120, absolute_max=120
)


def payments_initial(payments) -> list[dict]:
    return [
        {"due_on": p.due_on, "amount": plain_number(p.amount), "description": p.description}
        for p in payments
    ]


# --- Accepting ------------------------------------------------------------------------------------


class AcceptForm(BaseForm):
    submit_label = "Accept the agreement"

    seen_state = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": "Confirm that you are authorised to accept this agreement"},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = format_html(
            "I confirm I am authorised to accept this agreement on behalf of {}",
            organisation.name,
        )
        self.helper.layout = Layout(Field("seen_state"), Field.checkbox("confirm"))


# --- Variations -----------------------------------------------------------------------------------


def target_field_name(target_id: int) -> str:
    return f"target_{target_id}"


class VariationForm(BaseForm):
    """Why the change is needed, the new end date and a new value for each target (the
    payments are a formset beside it)."""

    submit_label = ""

    reason = forms.CharField(
        label="Why is the change needed?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter why the change is needed",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )
    ends_on = GovukDateField(
        what="the new end date",
        label="End date",
        help_text="Leave it as it is unless the end date should change. For example, 31 3 2030",
    )

    def __init__(self, *args, targets, **kwargs):
        self.targets = list(targets)
        super().__init__(*args, **kwargs)
        target_fields = []
        for target in self.targets:
            name = target_field_name(target.pk)
            self.fields[name] = CountField(
                label=f"{target.measure}, year {target.year} ({target.unit})",
                error_messages={
                    "required": f"Enter the target for {target.measure}, year {target.year}",
                    "invalid": f"The target for {target.measure}, year {target.year} must be "
                    "a number, like 120",
                    "min_value": f"The target for {target.measure}, year {target.year} must be "
                    "0 or more",
                    "max_decimal_places": f"The target for {target.measure}, year "
                    f"{target.year} must have 2 decimal places or fewer",
                    "max_digits": f"The target for {target.measure}, year {target.year} is too big",
                    "max_whole_digits": f"The target for {target.measure}, year {target.year} "
                    "is too big",
                },
            )
            target_fields.append(Field.text(name, field_width=5))
        layout = [
            Field.textarea("reason", rows=5),
            Field("ends_on"),
        ]
        if target_fields:
            layout.append(
                Fieldset(
                    HTML('<p class="govuk-body">Change only the targets that should change.</p>'),
                    *target_fields,
                    legend="Targets",
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper.layout = Layout(*layout)

    def new_targets(self) -> dict[int, Decimal]:
        return {
            target.pk: self.cleaned_data[target_field_name(target.pk)] for target in self.targets
        }


def variation_form_initial(*, agreement: Agreement, targets) -> dict:
    initial = {"ends_on": agreement.ends_on}
    for target in targets:
        initial[target_field_name(target.pk)] = plain_number(target.target)
    return initial


# --- The staff list -------------------------------------------------------------------------------


class AgreementFilterForm(PortfolioFilterForm):
    """The staff list's filters (GET): status, reference or organisation, and the
    portfolio's (sector, priority, area or ward, financial year) with the RAG status, so
    each of the portfolio's figures links to the agreements behind it (with its year).
    Opened by itself the list is every agreement, of all years: an officer looking one up
    by reference or organisation should find it whenever it ran."""

    opens_on_this_year = False

    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All")] + list(AgreementState.choices),
    )
    q = forms.CharField(
        label="Reference or organisation",
        required=False,
        max_length=100,
    )
    rag = forms.ChoiceField(label="RAG status", required=False, choices=RAG_CHOICES)
