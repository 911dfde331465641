"""Forms for moderation and the award recommendation.

crispy-forms-gds writes labels, legends and hints unescaped, and renders `HTML` layout
objects as templates: anything a person typed (an organisation's name, a panel member's
comment) goes in through `format_html` or an `Include`, never into a template string.
"""

from decimal import Decimal

from crispy_forms.layout import TEMPLATE_PACK, LayoutObject
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html

from core.forms import BaseForm, MoneyField
from core.templatetags.portal import money
from procurement.forms.bids import plain_number
from procurement.models import Outcome, ScoreDescriptor
from procurement.selectors.moderation import BidModeration, Ranking
from procurement.services.moderation import (
    DecisionInput,
    ModeratedInput,
    below_threshold_message,
    over_budget_message,
)


class Include(LayoutObject):
    """A template rendered with its own context inside a crispy layout: unlike `HTML`, what
    it shows is data, never template code."""

    def __init__(self, template_name: str, **context):
        self.template_name = template_name
        self.context = context
        self.fields = []

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(self.template_name, self.context)


class RevealRadios(ConditionalRadios):
    """Radios whose choices reveal further questions, without GOV.UK Frontend's radios
    module (see the template); the ranking page's script shows and hides them."""

    template = "procurement/moderation/reveal_radios.html"


class SummaryErrorsMixin:
    """The error summary's links, each to the element the error is about: for radios that
    is the first radio (crispy-forms-gds numbers them), not the field's own id."""

    first_radio_position: dict[str, int] = {}
    # Where the template shows errors about the whole form (non_field_errors.html).
    non_field_anchor = "form-errors"

    def summary_errors(self) -> list[tuple[str, str]]:
        links = [(self.non_field_anchor, message) for message in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                links.append((self._anchor(name), message))
        return links

    def _anchor(self, name: str) -> str:
        bound = self[name]
        if isinstance(bound.field.widget, forms.RadioSelect):
            return f"{bound.auto_id}_{self.first_radio_position.get(name, 1)}"
        return bound.auto_id


# --- Moderation ----------------------------------------------------------------------------


class ModerationForm(SummaryErrorsMixin, BaseForm):
    """A moderated score (0 to 5, against the descriptors) and the reasons for it, for every
    question of one bid, saved together."""

    submit_label = "Save moderated scores"

    def __init__(
        self, *args, moderation: BidModeration, descriptors: list[ScoreDescriptor], **kwargs
    ):
        self.moderation = moderation
        super().__init__(*args, **kwargs)
        # The descriptors' full wording is on the page once, above the form.
        choices = [Choice(d.score, f"{d.score} – {d.label}") for d in descriptors]
        layout = []
        for row in moderation.rows:
            number = row.number
            score_name, rationale_name = self.names(row.question.pk)
            self.fields[score_name] = forms.TypedChoiceField(
                label=f"Moderated score for question {number}",
                coerce=int,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select a moderated score for question {number}",
                    "invalid_choice": f"Select a moderated score for question {number}",
                },
            )
            self.fields[rationale_name] = forms.CharField(
                label=f"Reasons for the moderated score for question {number}",
                widget=forms.Textarea,
                max_length=5000,
                help_text="The bidder reads these as feedback on their answer: say what was "
                "strong, what was missing, and why the score is what it is.",
                error_messages={
                    "required": f"Enter the reasons for the moderated score for question {number}",
                    "max_length": f"The reasons for question {number} must be 5,000 "
                    "characters or fewer",
                },
            )
            if row.moderated is not None:
                self.initial.setdefault(score_name, row.moderated.score)
                self.initial.setdefault(rationale_name, row.moderated.rationale)
            layout += [
                Include(
                    "procurement/moderation/question_scores.html",
                    row=row,
                    moderation=moderation,
                ),
                Field.radios(score_name, legend_size=Size.SMALL, small=True),
                Field.textarea(rationale_name, rows=4),
            ]
        self.helper.layout = Layout(*layout)

    @staticmethod
    def names(question_id: int) -> tuple[str, str]:
        return f"score_{question_id}", f"rationale_{question_id}"

    def scores(self) -> list[ModeratedInput]:
        result = []
        for row in self.moderation.rows:
            score_name, rationale_name = self.names(row.question.pk)
            result.append(
                ModeratedInput(
                    question_id=row.question.pk,
                    score=self.cleaned_data[score_name],
                    rationale=self.cleaned_data[rationale_name],
                )
            )
        return result


# --- The award recommendation ------------------------------------------------------------------

AWARD_LABEL = "Recommend an award"
REFUSE_LABEL = "Not successful"


class RecommendationForm(SummaryErrorsMixin, BaseForm):
    """For each bid ranked (fully moderated), in rank order: recommend an award (amount,
    more than £0, and any conditions) or not (with the reasons the bidder reads). Choices
    start from what is recorded, or else from the optimiser's proposal."""

    submit_label = "Save the recommendation"

    def __init__(self, *args, ranking: Ranking, **kwargs):
        self.ranking = ranking
        super().__init__(*args, **kwargs)
        self.first_radio_position = {}
        layout = []
        for row in ranking.ranked:
            bid = row.bid
            outcome, amount, conditions, reasons = self.names(bid.pk)
            self.fields[outcome] = forms.ChoiceField(
                label=format_html(
                    "{} – {}<br><span class='govuk-body-s'>Moderated score {} · asked for {}"
                    "</span>",
                    bid.reference,
                    bid.organisation.name,
                    f"{row.total:.2f}",
                    money(bid.amount_requested),
                ),
                choices=[
                    (Outcome.SUCCESSFUL.value, AWARD_LABEL),
                    (Outcome.UNSUCCESSFUL.value, REFUSE_LABEL),
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select whether to recommend an award for {bid.reference}",
                    "invalid_choice": f"Select whether to recommend an award for {bid.reference}",
                },
            )
            self.first_radio_position[outcome] = 0  # conditional radios count from 0
            self.fields[amount] = MoneyField(
                noun=f"the amount to award to {bid.reference}",
                label=format_html(
                    "Amount to award (£)<span class='govuk-visually-hidden'> to {}</span>",
                    bid.reference,
                ),
                required=False,
                help_text=f"They asked for {money(bid.amount_requested)}",
            )
            self.fields[conditions] = forms.CharField(
                label=format_html(
                    "Conditions of the award (optional)"
                    "<span class='govuk-visually-hidden'> to {}</span>",
                    bid.reference,
                ),
                required=False,
                max_length=5000,
                widget=forms.Textarea,
                help_text="For example, quarterly monitoring returns or match funding confirmed "
                "before the first payment",
                error_messages={
                    "max_length": f"The conditions for {bid.reference} must be 5,000 "
                    "characters or fewer"
                },
            )
            self.fields[reasons] = forms.CharField(
                label=format_html(
                    "Reasons the bid was not successful"
                    "<span class='govuk-visually-hidden'> ({})</span>",
                    bid.reference,
                ),
                required=False,
                max_length=5000,
                widget=forms.Textarea,
                help_text="The bidder reads these with their scores",
                error_messages={
                    "max_length": f"The reasons for {bid.reference} must be 5,000 "
                    "characters or fewer"
                },
            )
            self._set_initial(row)
            layout.append(
                RevealRadios(
                    outcome,
                    ConditionalQuestion(
                        AWARD_LABEL,
                        Field.text(amount, field_width=10),
                        Field.textarea(conditions, rows=3),
                    ),
                    ConditionalQuestion(REFUSE_LABEL, Field.textarea(reasons, rows=3)),
                )
            )
        self.helper.layout = Layout(*layout)

    @staticmethod
    def names(bid_id: int) -> tuple[str, str, str, str]:
        return (
            f"outcome_{bid_id}",
            f"amount_{bid_id}",
            f"conditions_{bid_id}",
            f"reasons_{bid_id}",
        )

    def _set_initial(self, row) -> None:
        outcome, amount, conditions, reasons = self.names(row.bid.pk)
        decision = row.decision
        if decision is not None:
            self.initial.setdefault(outcome, decision.outcome)
            self.initial.setdefault(
                amount, plain_number(decision.amount or row.bid.amount_requested)
            )
            self.initial.setdefault(conditions, decision.conditions)
            self.initial.setdefault(reasons, decision.reasons)
        else:
            self.initial.setdefault(
                outcome, Outcome.SUCCESSFUL if row.proposed else Outcome.UNSUCCESSFUL
            )
            self.initial.setdefault(amount, plain_number(row.bid.amount_requested))

    def clean(self):
        cleaned = super().clean()
        total = Decimal(0)
        for row in self.ranking.ranked:
            bid = row.bid
            outcome, amount, _, reasons = self.names(bid.pk)
            chosen = cleaned.get(outcome)
            if chosen == Outcome.SUCCESSFUL:
                if not row.meets_threshold:
                    self.add_error(
                        outcome,
                        below_threshold_message(
                            reference=bid.reference,
                            total=row.total,
                            threshold=self.ranking.threshold,
                        ),
                    )
                value = cleaned.get(amount)
                if amount in self.errors:
                    continue
                if value is None:
                    self.add_error(amount, f"Enter the amount to award to {bid.reference}")
                elif value <= 0:
                    self.add_error(
                        amount, f"The amount to award to {bid.reference} must be more than £0"
                    )
                else:
                    total += value
            elif (
                chosen == Outcome.UNSUCCESSFUL
                and not (cleaned.get(reasons) or "").strip()
                and reasons not in self.errors
            ):
                self.add_error(reasons, f"Enter the reasons {bid.reference} was not successful")
        if total > self.ranking.budget:
            raise ValidationError(over_budget_message(total=total, budget=self.ranking.budget))
        return cleaned

    def decisions(self) -> list[DecisionInput]:
        result = []
        for row in self.ranking.ranked:
            outcome, amount, conditions, reasons = self.names(row.bid.pk)
            result.append(
                DecisionInput(
                    bid_id=row.bid.pk,
                    outcome=self.cleaned_data[outcome],
                    amount=self.cleaned_data.get(amount),
                    conditions=self.cleaned_data.get(conditions, ""),
                    reasons=self.cleaned_data.get(reasons, ""),
                )
            )
        return result
