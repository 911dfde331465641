from crispy_forms_gds.layout import HTML, Field, Layout, Size
from django import forms
from django.utils.html import format_html

from commissioning.models import CoreCriterion, Option
from commissioning.services.options import REQUIRED_CRITERION_SLUGS, ScoreInput
from core.forms import BaseForm, BaseModelForm, MoneyField

SCORE_CHOICES = [(str(score), str(score)) for score in range(6)]
SECTION_BREAK = (
    '<hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">'
)


class ScoreField(forms.ChoiceField):
    """A score from 0 to 5 as inline radios."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(choices=SCORE_CHOICES, **kwargs)


class OptionForm(BaseModelForm):
    """An option's details and, for each core criterion, a score from 0 to 5 and a comment.

    Scores against the criteria in `REQUIRED_CRITERION_SLUGS` are required; the rest are
    optional. `scores()` gives them to the service.
    """

    submit_label = "Save option"

    estimated_cost = MoneyField(
        noun="the estimated cost",
        label="Estimated cost (£)",
        help_text="In pounds, for the whole period, for example 120000",
    )

    class Meta:
        model = Option
        fields = ["title", "description", "estimated_cost", "expected_outcomes", "risks"]
        labels = {
            "title": "Title",
            "description": "Description",
            "expected_outcomes": "Expected outcomes",
            "risks": "Risks",
        }
        help_texts = {
            "title": "A short name for the option, for example “Grants to local groups”",
            "description": "What the option is and how the services would be delivered",
            "expected_outcomes": "What would change for people, and how much",
            "risks": "What could stop the option delivering, and how likely it is",
        }
        error_messages = {
            "title": {
                "required": "Enter a title",
                "max_length": "Title must be 200 characters or fewer",
            },
            "description": {"required": "Enter a description"},
            "expected_outcomes": {"required": "Enter the expected outcomes"},
            "risks": {"required": "Enter the risks"},
        }

    def __init__(self, *args, criteria: list[CoreCriterion], **kwargs):
        self.criteria = criteria
        super().__init__(*args, **kwargs)
        existing = (
            {score.criterion_id: score for score in self.instance.scores.all()}
            if self.instance.pk
            else {}
        )
        layout = [
            Field.text("title"),
            Field.textarea("description", rows=4),
            Field.text("estimated_cost", field_width=10),
            Field.textarea("expected_outcomes", rows=4),
            Field.textarea("risks", rows=3),
            HTML(
                '<h2 class="govuk-heading-m">Scores against the core criteria</h2>'
                '<p class="govuk-body">Score the option from 0 to 5 against each criterion: '
                "0 means it does not meet the criterion, 5 means it fully meets it. "
                "Say why under each score, so that others can compare the options.</p>"
            ),
        ]
        for criterion in criteria:
            required = criterion.slug in REQUIRED_CRITERION_SLUGS
            score_name, comment_name = f"score_{criterion.slug}", f"comment_{criterion.slug}"
            self.fields[score_name] = ScoreField(
                # crispy-forms-gds writes labels unescaped: escape the criterion's name.
                label=format_html("{}{}", criterion.name, "" if required else " (optional)"),
                help_text=format_html(
                    "{}<br>0 does not meet it, 5 fully meets it", criterion.description
                ),
                required=required,
                error_messages={
                    "required": f"Score the option against {criterion.name}",
                    "invalid_choice": f"Score the option from 0 to 5 against {criterion.name}",
                },
            )
            self.fields[comment_name] = forms.CharField(
                label=format_html(
                    'Why this score<span class="govuk-visually-hidden"> for {}</span> (optional)',
                    criterion.name,
                ),
                required=False,
                max_length=2000,
                widget=forms.Textarea,
                error_messages={"max_length": "The comment must be 2,000 characters or fewer"},
            )
            found = existing.get(criterion.pk)
            if found is not None:
                self.initial.setdefault(score_name, str(found.score))
                self.initial.setdefault(comment_name, found.comment)
            layout += [
                HTML(SECTION_BREAK),
                Field.radios(score_name, legend_size=Size.MEDIUM, inline=True, small=True),
                Field.textarea(comment_name, rows=2),
            ]
        self.helper.layout = Layout(*layout)

    def scores(self) -> dict[CoreCriterion, ScoreInput]:
        """The score and comment given for each criterion (score None when not scored)."""
        scores = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"score_{criterion.slug}")
            scores[criterion] = ScoreInput(
                score=int(value) if value not in (None, "") else None,
                comment=self.cleaned_data.get(f"comment_{criterion.slug}", ""),
            )
        return scores

    def details(self) -> dict:
        """The option's own fields, as the service takes them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OptionRecommendForm(BaseForm):
    submit_label = "Recommend this option"

    rationale = forms.CharField(
        label="Why is this option recommended?",
        help_text="Compare it with the other options: its scores, cost and risks",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={
            "required": "Enter why this option is recommended",
            "max_length": "The reasons must be 4,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("rationale", rows=5, label_size=Size.MEDIUM))

    def clean_rationale(self):
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Enter why this option is recommended")
        return rationale
