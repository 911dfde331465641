"""Forms for bids: starting one, the draft (title, amounts, answers), the budget breakdown,
consortium partners, attachments and the lifecycle actions."""

from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html

from core.forms import BaseForm, CountField, MoneyField
from core.templatetags.portal import money
from core.uploads import CheckedFileField
from procurement.models import Bid, Question
from procurement.selectors import bids as selectors
from procurement.services.bids import BudgetRow
from providers.models import Organisation


def plain_number(value: Decimal | None) -> Decimal | None:
    """12500 rather than 12500.00 in an input."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


# --- Starting a bid ------------------------------------------------------------------------------


class BidStartForm(BaseForm):
    """Which of the person's organisations is bidding (asked only when they have several)."""

    submit_label = "Start your bid"

    organisation = forms.TypedChoiceField(
        label="Which organisation is bidding?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the organisation that is bidding",
            "invalid_choice": "Select the organisation that is bidding",
        },
    )

    def __init__(self, *args, organisations: list[Organisation], live_bids: dict, **kwargs):
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        super().__init__(*args, **kwargs)
        choices = []
        for organisation in organisations:
            bid = live_bids.get(organisation.pk)
            if bid is not None:
                hint = f"Already started: {bid.reference}. You will go to that bid."
            elif not organisation.is_verified:
                hint = "Not verified yet: you can save a draft, but not submit it"
            else:
                hint = ""
            choices.append(Choice(organisation.pk, organisation.name, hint=hint))
        self.fields["organisation"].choices = choices
        if len(organisations) == 1:
            # Their only organisation: nothing to choose, and nothing posted can change it.
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].disabled = True
            self.initial["organisation"] = organisations[0].pk
            self.helper.layout = Layout(Field("organisation"))
        else:
            self.helper.layout = Layout(Field.radios("organisation", legend_size=Size.MEDIUM))

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


# --- The draft: title, amounts and answers -------------------------------------------------------


class BidForm(BaseForm):
    """Everything written in the bid. Nothing is required to save a draft; word limits and
    the opportunity's budget are enforced every time."""

    submit_label = "Save draft"

    title = forms.CharField(
        label="Project title",
        required=False,
        max_length=200,
        help_text="A short name for what you will do, for example Warm Welcome lunch clubs",
        error_messages={"max_length": "Project title must be 200 characters or fewer"},
    )
    amount_requested = MoneyField(
        noun="the amount you are asking for", label="Amount you are asking for (£)", required=False
    )
    match_funding = MoneyField(
        noun="the match funding",
        label="Match funding (£) (optional)",
        required=False,
        help_text="Money from other funders towards the same project",
    )
    match_funding_sources = forms.CharField(
        label="Where the match funding comes from (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Each funder, the amount and whether it is confirmed",
    )
    other_leverage = forms.CharField(
        label="Other support you bring (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Volunteer time, premises, in-kind support",
    )

    def __init__(self, *args, bid: Bid, questions: list[Question], **kwargs):
        self.bid = bid
        self.questions = questions
        super().__init__(*args, **kwargs)
        budget = bid.opportunity.budget
        self.fields[
            "amount_requested"
        ].help_text = f"In pounds, for example 25000. The most you can ask for is {money(budget)}"
        answers = []
        for number, question in enumerate(questions, start=1):
            name = selectors.answer_field_name(question)
            self.fields[name] = forms.CharField(
                label=f"Question {number}: {question.text}",
                required=False,
                widget=forms.Textarea,
                help_text=_answer_hint(question),
            )
            answers.append(
                Field.textarea(name, rows=12, max_words=question.word_limit, label_size=Size.SMALL)
            )
        self.helper.layout = Layout(
            Fieldset(
                Field.text("title"),
                Field.text("amount_requested", field_width=10),
                Field.text("match_funding", field_width=10),
                Field.textarea("match_funding_sources", rows=3),
                Field.textarea("other_leverage", rows=3),
                legend="Project title and amounts",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(
                    '<p class="govuk-body">You can save your answers and come back to them. '
                    "Every question must be answered before you submit.</p>"
                ),
                *answers,
                legend="Answers",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean_amount_requested(self):
        amount = self.cleaned_data["amount_requested"]
        budget = self.bid.opportunity.budget
        if amount is not None and amount > budget:
            raise ValidationError(f"The amount must be {money(budget)} or less")
        return amount

    def clean(self):
        cleaned = super().clean()
        for number, question in enumerate(self.questions, start=1):
            name = selectors.answer_field_name(question)
            text = (cleaned.get(name) or "").strip()
            words = selectors.word_count(text)
            if words > question.word_limit:
                self.add_error(
                    name,
                    selectors.words_message(number=number, limit=question.word_limit, words=words),
                )
        return cleaned

    def answers(self) -> dict[int, str]:
        return {
            question.pk: self.cleaned_data.get(selectors.answer_field_name(question), "")
            for question in self.questions
        }

    def bid_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "amount_requested": data["amount_requested"],
            "match_funding": data["match_funding"],
            "match_funding_sources": data["match_funding_sources"],
            "other_leverage": data["other_leverage"],
            "answers": self.answers(),
        }


def _answer_hint(question: Question) -> str:
    guidance = question.guidance.strip()
    limit = f"Up to {question.word_limit:,} words."
    if question.criterion_id:
        limit = f"{limit} Scored against: {question.criterion.name}."
    return f"{guidance} {limit}" if guidance else limit


def bid_form_initial(*, bid: Bid, answers: list[selectors.AnswerRow]) -> dict:
    initial = {
        "title": bid.title,
        "amount_requested": plain_number(bid.amount_requested),
        "match_funding": plain_number(bid.match_funding),
        "match_funding_sources": bid.match_funding_sources,
        "other_leverage": bid.other_leverage,
    }
    initial.update({row.field_name: row.text for row in answers})
    return initial


# --- Budget breakdown ----------------------------------------------------------------------------


class BudgetLineForm(BaseForm):
    """One line of the budget: what it is for and how much. A blank line is ignored; an
    existing line cleared is removed."""

    submit_label = ""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    item = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "What the money is for must be 200 characters or fewer"},
    )
    amount = MoneyField(noun="the amount", required=False)

    def __init__(self, *args, number: int = 1, **kwargs):
        self.number = number
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(
                Field("id"),
                Field.text("item"),
                Field.text("amount", field_width=10),
                legend=f"Line {number}",
                legend_size=Size.SMALL,
            )
        )

    def prepare_fields(self) -> None:
        self.fields["item"].label = "What the money is for"
        self.fields["item"].help_text = "For example, Session worker: 10 hours a week for a year"
        self.fields["amount"] = MoneyField(
            noun=f"the amount for line {self.number}",
            label="Amount (£)",
            required=False,
        )

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("item") or "").strip() and data.get("amount") is None

    def clean(self):
        cleaned = super().clean()
        if self.is_blank or self.errors:
            return cleaned
        if not (cleaned.get("item") or "").strip():
            self.add_error("item", f"Enter what line {self.number} is for")
        if cleaned.get("amount") is None:
            self.add_error("amount", f"Enter the amount for line {self.number}")
        return cleaned

    def row(self) -> BudgetRow:
        data = self.cleaned_data
        return BudgetRow(id=data.get("id"), item=data["item"], amount=data["amount"])


class BaseBudgetFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}

    def rows(self) -> list[BudgetRow]:
        return [form.row() for form in self.forms if not form.is_blank]


BudgetFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseBudgetFormSet, extra=3, max_num=100, absolute_max=100
)


# --- Targets for the success measures ------------------------------------------------------------


def target_display(value: Decimal) -> str:
    """15,000 or 12.5: a target as people write it."""
    return f"{plain_number(value):,}"


class BidTargetsForm(BaseForm):
    """For each success measure of the specification and each year, what the bid will
    achieve, with the council's target for the whole service beside it. The page is
    written out by its template as a table, so the helper lays nothing out."""

    submit_label = ""

    def __init__(self, *args, measures: list[selectors.MeasureTargets], **kwargs):
        self.measures = measures
        super().__init__(*args, **kwargs)
        units = [measure.unit for measure in measures]
        for measure in measures:
            # Two measures counted in the same unit are told apart by name.
            named = f" for {measure.name}" if units.count(measure.unit) > 1 else ""
            for year in measure.years:
                what = f"the number of {measure.unit} you will achieve in year {year.year}{named}"
                what_capital = what[0].upper() + what[1:]
                self.fields[year.field_name] = CountField(
                    label=f"{measure.name}, year {year.year}: your target ({measure.unit})",
                    help_text=(
                        f"The council’s target for the whole service: "
                        f"{target_display(year.council)} {measure.unit}"
                    ),
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                    error_messages={
                        "required": f"Enter {what}",
                        "invalid": f"Enter {what} as a number, like 120",
                        "min_value": f"{what_capital} must be 0 or more",
                        "max_digits": f"{what_capital} must be less than 10 billion",
                        "max_whole_digits": f"{what_capital} must be less than 10 billion",
                        "max_decimal_places": f"{what_capital} must have 2 decimal places or fewer",
                    },
                )
        self.helper.layout = Layout()

    def rows(self) -> list[tuple[selectors.MeasureTargets, list]]:
        """Each measure with (year, bound field) for each of its years, for the template."""
        return [
            (measure, [(year, self[year.field_name]) for year in measure.years])
            for measure in self.measures
        ]

    def targets(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (year.specification_measure_id, year.year): self.cleaned_data.get(year.field_name)
            for measure in self.measures
            for year in measure.years
        }


def bid_targets_initial(*, measures: list[selectors.MeasureTargets]) -> dict:
    return {
        year.field_name: plain_number(year.proposed)
        for measure in measures
        for year in measure.years
        if year.proposed is not None
    }


# --- Consortium partners -------------------------------------------------------------------------


class PartnerSearchForm(forms.Form):
    """Find a registered organisation by name or org-id (GET)."""

    q = forms.CharField(
        label="Organisation name or org-id",
        required=False,
        max_length=100,
        help_text="For example, Carnforth Youth or GB-CHC-1164883",
    )


class _AnyOrganisationField(forms.TypedChoiceField):
    """Offers the search results; any organisation is accepted here so the service can say
    clearly why one cannot be a partner (the lead itself, or already a partner)."""

    def valid_value(self, value) -> bool:
        return True


class PartnerAddForm(BaseForm):
    submit_label = "Add partner"

    q = forms.CharField(required=False, widget=forms.HiddenInput)
    organisation = _AnyOrganisationField(
        label="Partner organisation",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the partner organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    role = forms.CharField(
        label="Their role in the consortium",
        widget=forms.Textarea,
        max_length=2000,
        help_text="What they will deliver, and the share of the money they will receive",
        error_messages={
            "required": "Enter the partner’s role in the consortium",
            "max_length": "The role must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, results: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            Choice(
                organisation.pk,
                organisation.name,
                hint=organisation.org_id
                + ("" if organisation.is_verified else " (not verified yet)"),
            )
            for organisation in results
        ]
        self.helper.layout = Layout(
            Field("q"),
            Field.radios("organisation", legend_size=Size.SMALL, small=True),
            Field.textarea("role", rows=4),
        )

    def clean_organisation(self) -> Organisation:
        organisation = Organisation.objects.filter(pk=self.cleaned_data["organisation"]).first()
        if organisation is None:
            raise ValidationError("Select an organisation from the list")
        return organisation


# --- Attachments ---------------------------------------------------------------------------------


class BidFileField(CheckedFileField):
    """A checked upload that remembers the name the file came with, for showing."""

    def to_python(self, data):
        original = data.name if isinstance(data, UploadedFile) else ""
        uploaded = super().to_python(data)
        if isinstance(uploaded, UploadedFile):
            uploaded.original_name = original
        return uploaded


class AttachmentForm(BaseForm):
    submit_label = "Upload file"

    file = BidFileField(
        label="Upload a file",
        allowed=selectors.ATTACHMENT_TYPES,
        max_size=selectors.MAX_ATTACHMENT_SIZE,
        help_text=(
            "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), PNG or JPEG. Each "
            "file must be smaller than 10MB, and all your files together 25MB or less"
        ),
        error_messages={"required": "Select a file to upload"},
    )

    def __init__(self, *args, bid: Bid, **kwargs):
        self.bid = bid
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("file"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        problem = selectors.bid_attachment_total_problem(bid=self.bid, adding=uploaded.size)
        if problem:
            raise ValidationError(problem)
        return uploaded


# --- Lifecycle actions ---------------------------------------------------------------------------


class BidTransitionForm(BaseForm):
    """Confirms submitting, reopening or withdrawing a bid."""

    seen_state = forms.CharField(widget=forms.HiddenInput)
    declaration = forms.BooleanField(
        required=True,
        error_messages={"required": "Confirm that the information in the bid is correct"},
    )
    reason = forms.CharField(
        label="Why are you withdrawing the bid? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(
        self,
        *args,
        name: str,
        organisation: Organisation,
        submit_label: str,
        warning: bool = False,
        **kwargs,
    ):
        self.submit_label = submit_label
        self.submit_css_class = "govuk-button--warning" if warning else ""
        super().__init__(*args, **kwargs)
        fields = [Field("seen_state")]
        if name == "submit":
            self.fields["declaration"].label = format_html(
                "I confirm that the information in this bid is correct and that I may "
                "submit it for {}",
                organisation.name,
            )
            fields.append(Field.checkbox("declaration"))
        else:
            del self.fields["declaration"]
        if name == "withdraw":
            fields.append(Field.textarea("reason", rows=4))
        else:
            del self.fields["reason"]
        self.helper.layout = Layout(*fields)

    def reason_given(self) -> str:
        return self.cleaned_data.get("reason", "")


class PartnershipConfirmForm(BaseForm):
    submit_label = "Confirm the partnership"
