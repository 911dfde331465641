"""Forms for opportunities: the public filters, the officer's opportunity form (opening and
closing times in Europe/London), its questions, documents and publishing."""

import datetime as dt
from decimal import Decimal

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Layout, Size
from django import forms
from django.utils import timezone

from commissioning.models import CorporatePriority, Lot, Sector, Specification
from core.forms import BaseForm, GovukDateField, MoneyField, TimeOfDayField
from core.templatetags.portal import govuk_datetime, money
from core.uploads import CheckedFileField
from engagement.models import EngagementEvent
from procurement.models import FundingType, Opportunity
from procurement.services.opportunities import QuestionRow


def _plain(value: Decimal | None) -> Decimal | None:
    """20 rather than 20.00 in an input, 12.5 rather than 12.50."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


# --- Everyone: filtering the list ------------------------------------------------------------


class OpportunityFilterForm(forms.Form):
    """The public list's filters (GET), rendered as GOV.UK selects beside the list."""

    sector = forms.ModelChoiceField(
        label="Sector",
        required=False,
        queryset=Sector.objects.order_by("order", "name"),
        empty_label="All sectors",
        to_field_name="slug",
    )
    priority = forms.ModelChoiceField(
        label="Corporate Priority",
        required=False,
        queryset=CorporatePriority.objects.filter(framework__is_current=True).order_by(
            "order", "name"
        ),
        empty_label="All priorities",
        to_field_name="slug",
    )


# --- Officers: the opportunity ---------------------------------------------------------------


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Lot) -> str:
        return f"{obj.name} ({money(obj.budget)})"


class WorkshopChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: EngagementEvent) -> str:
        return f"{obj.title} – {govuk_datetime(obj.starts_at)}"


class OpportunityForm(BaseForm):
    """An officer makes or changes an opportunity. `cleaned_data` gains `opens_at` and
    `closes_at` in Europe/London; `opportunity_data()` gives the service's arguments."""

    submit_label = "Save and continue"

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Bidders see this first, so say what the funding is for",
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    lot = LotChoiceField(
        label="Which part of the specification is it for?",
        queryset=Lot.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label="The whole specification",
        error_messages={"invalid_choice": "Select a lot of this specification"},
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What the funding is for, who it will help and where, in plain English",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a summary"},
    )
    budget = MoneyField(noun="the budget", label="Budget (£) (optional)", required=False)
    funding_type = forms.ChoiceField(
        label="Is it a grant or a contract?",
        choices=FundingType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is a grant or a contract"},
    )
    opens_date = GovukDateField(
        what="the opening date", label="Date", help_text="For example, 1 12 2026"
    )
    opens_time = TimeOfDayField(what="the opening time", label="Time")
    closes_date = GovukDateField(
        what="the closing date", label="Date", help_text="For example, 15 1 2027"
    )
    closes_time = TimeOfDayField(
        what="the closing time",
        label="Time",
        help_text="Bids must be submitted before this time. For example, 5pm",
    )
    eligibility = forms.CharField(
        label="Who is eligible to bid",
        help_text="Who may bid, and what they must have in place",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter who is eligible to bid"},
    )
    workshops = WorkshopChoiceField(
        label="Applicant workshops (optional)",
        help_text="Published engagement events where applicants can find out more. "
        "Select all that apply.",
        queryset=EngagementEvent.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select events from the list"},
    )

    def __init__(
        self,
        *args,
        specification: Specification,
        opportunity: Opportunity | None = None,
        workshops=None,
        **kwargs,
    ):
        self.specification = specification
        self.opportunity = opportunity
        self.workshop_choices = workshops
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {**self._initial(), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        layout = [Field.text("title")]
        if "lot" in self.fields:
            layout.append(Field.radios("lot", legend_size=Size.SMALL))
        layout += [
            Field.textarea("summary", rows=6),
            Field.text("budget", field_width=10),
            Field.radios("funding_type", legend_size=Size.SMALL, inline=True),
            Fieldset(
                Field("opens_date"),
                Field.text("opens_time", field_width=Fixed.FIVE),
                legend="When it opens",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("closes_date"),
                Field.text("closes_time", field_width=Fixed.FIVE),
                legend="When it closes",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("eligibility", rows=4),
        ]
        if "workshops" in self.fields:
            layout.append(Field.checkboxes("workshops", legend_size=Size.SMALL, small=True))
        self.helper.layout = Layout(*layout)

    def _initial(self) -> dict:
        opportunity, specification = self.opportunity, self.specification
        if opportunity is None:
            return {
                "title": specification.title,
                "summary": specification.summary,
                "eligibility": specification.eligibility,
                "opens_time": dt.time(9, 0),
                "closes_time": dt.time(17, 0),
            }
        opens_at = timezone.localtime(opportunity.opens_at)
        closes_at = timezone.localtime(opportunity.closes_at)
        return {
            "title": opportunity.title,
            "lot": opportunity.lot_id,
            "summary": opportunity.summary,
            "budget": _plain(opportunity.budget),
            "funding_type": opportunity.funding_type,
            "opens_date": opens_at.date(),
            "opens_time": opens_at.time(),
            "closes_date": closes_at.date(),
            "closes_time": closes_at.time(),
            "eligibility": opportunity.eligibility,
            "workshops": [event.pk for event in opportunity.workshops.all()],
        }

    def prepare_fields(self) -> None:
        lots = self.specification.lots.all()
        if lots:
            self.fields["lot"].queryset = self.specification.lots.order_by("pk")
        else:
            del self.fields["lot"]
        whole = money(self.specification.budget)
        self.fields["budget"].help_text = (
            f"Leave empty to use the lot’s budget, or the whole specification’s ({whole})"
            if lots
            else f"Leave empty to use the specification’s budget ({whole})"
        )
        if self.workshop_choices is None:
            del self.fields["workshops"]
        else:
            self.fields["workshops"].queryset = self.workshop_choices

    def clean(self):
        cleaned = super().clean()
        parts = [cleaned.get(name) for name in ("opens_date", "opens_time")]
        opens_at = self._moment(*parts)
        closes_at = self._moment(cleaned.get("closes_date"), cleaned.get("closes_time"))
        if opens_at and closes_at:
            if closes_at <= opens_at:
                self.add_error("closes_date", "The closing date must be after the opening date")
            else:
                cleaned["opens_at"], cleaned["closes_at"] = opens_at, closes_at
        return cleaned

    @staticmethod
    def _moment(date: dt.date | None, time: dt.time | None) -> dt.datetime | None:
        if date is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(date, time))

    def opportunity_data(self) -> dict:
        """The cleaned values as the keyword arguments of `opportunity_create` and
        `opportunity_update`."""
        data = self.cleaned_data
        values = {
            "title": data["title"],
            "lot": data.get("lot"),
            "summary": data["summary"],
            "budget": data.get("budget"),
            "funding_type": data["funding_type"],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "eligibility": data["eligibility"],
        }
        if "workshops" in self.fields:
            values["workshops"] = data["workshops"]
        return values


# --- Officers: the questions -----------------------------------------------------------------

WEIGHT_RANGE = "The weight must be between 0 and 100"


class QuestionForm(BaseForm):
    """One bid question: its words, guidance, word limit and weight. `initial["heading"]`
    names the criterion it is about."""

    submit_label = ""

    id = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 4}))
    guidance = forms.CharField(
        label="Guidance for bidders (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    word_limit = forms.IntegerField(
        label="Word limit",
        min_value=1,
        max_value=5000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    weight = forms.DecimalField(
        label="Weight (%)",
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args, number: int = 1, **kwargs):
        self.number = number
        super().__init__(*args, **kwargs)
        heading = self.initial.get("heading") or "your own question"
        self.helper.layout = Layout(
            Fieldset(
                Field("id"),
                Field.textarea("text", rows=4),
                Field.textarea("guidance", rows=3),
                Field.text("word_limit", field_width=Fixed.FIVE),
                Field.text("weight", field_width=Fixed.FIVE),
                legend=f"Question {number}: {heading}",
                legend_size=Size.MEDIUM,
            )
        )

    def prepare_fields(self) -> None:
        n = self.number
        self.fields["text"].error_messages["required"] = f"Enter question {n}"
        self.fields["word_limit"].error_messages.update(
            {
                "required": f"Enter the word limit for question {n}",
                "invalid": f"The word limit for question {n} must be a whole number, like 500",
                "min_value": f"The word limit for question {n} must be 1 or more",
                "max_value": f"The word limit for question {n} must be 5,000 or fewer",
            }
        )
        self.fields["weight"].error_messages.update(
            {
                "required": f"Enter the weight for question {n}",
                "invalid": f"The weight for question {n} must be a number, like 15",
                "min_value": f"The weight for question {n} must be between 0 and 100",
                "max_value": f"The weight for question {n} must be between 0 and 100",
                "max_decimal_places": f"The weight for question {n} must have no more than "
                "2 decimal places",
            }
        )

    def row(self) -> QuestionRow:
        data = self.cleaned_data
        return QuestionRow(
            id=data["id"],
            text=data["text"],
            guidance=data.get("guidance", ""),
            word_limit=data["word_limit"],
            weight=data["weight"],
        )


class BaseQuestionFormSet(forms.BaseFormSet):
    """Numbers its forms and turns them into the service's rows; no forms are added."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}

    def rows(self) -> list[QuestionRow]:
        return [form.row() for form in self.forms]

    def total_weight(self) -> Decimal:
        return sum(
            (form.cleaned_data.get("weight") or Decimal(0) for form in self.forms), Decimal(0)
        )


QuestionFormSet = forms.formset_factory(
    QuestionForm, formset=BaseQuestionFormSet, extra=0, can_delete=False
)


def question_initial(question) -> dict:
    criterion = question.criterion or question.service_criterion
    return {
        "id": question.pk,
        "heading": criterion.name if criterion else "",
        "text": question.text,
        "guidance": question.guidance,
        "word_limit": question.word_limit,
        "weight": _plain(question.weight),
    }


# --- Officers: documents and publishing ------------------------------------------------------


class OpportunityDocumentForm(BaseForm):
    submit_label = "Upload document"

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Full service specification or Budget template",
        error_messages={
            "required": "Enter a title for the document",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    file = CheckedFileField(label="Upload a file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("title"), Field("file"))


class OpportunityPublishForm(BaseForm):
    """Confirm publishing: there is nothing to fill in. `seen_state` is the state the
    officer saw, when the page sent it."""

    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, submit_label: str = "Publish the opportunity", warning: bool = False, **kw
    ):
        self.submit_label = submit_label
        super().__init__(*args, **kw)
