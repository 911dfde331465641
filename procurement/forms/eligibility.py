"""Eligibility: the officer's settings for an opportunity's questions, and an
organisation's yes/no answers."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from commissioning.models import Area
from core.forms import BaseForm
from procurement.selectors.eligibility import EligibilityQuestion
from providers.models import IncomeBand, LegalForm


class EligibilityRequirementForm(BaseForm):
    """What an opportunity asks of an organisation: each part left empty asks nothing."""

    submit_label = "Save eligibility questions"

    legal_forms = forms.MultipleChoiceField(
        label="Which legal forms can apply?",
        help_text="Select all that apply. Select none to let any legal form apply.",
        choices=LegalForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select legal forms from the list"},
    )
    areas = forms.ModelMultipleChoiceField(
        label="Which areas must an organisation serve?",
        help_text="It must serve at least one. Select none to ask nothing about areas.",
        queryset=Area.objects.order_by("kind", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select areas from the list"},
    )
    income_bands = forms.MultipleChoiceField(
        label="Which annual income bands can apply?",
        help_text="Select all that apply. Select none to ask nothing about income.",
        choices=IncomeBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select income bands from the list"},
    )
    registered_number_required = forms.TypedChoiceField(
        label="Must the organisation have a registered charity or company number?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the organisation must have a number"},
    )

    def __init__(self, *args, **kwargs):
        initial = kwargs.get("initial") or {}
        if isinstance(initial.get("registered_number_required"), bool):
            kwargs["initial"] = {
                **initial,
                "registered_number_required": "yes"
                if initial["registered_number_required"]
                else "no",
            }
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.checkboxes("legal_forms", legend_size=Size.SMALL, small=True),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
            Field.checkboxes("income_bands", legend_size=Size.SMALL, small=True),
            Field.radios("registered_number_required", legend_size=Size.SMALL, inline=True),
        )


class EligibilityCheckForm(BaseForm):
    """One yes/no question per eligibility question of the opportunity."""

    submit_label = "Check if you can apply"

    def __init__(self, *args, questions: list[EligibilityQuestion], **kwargs):
        self.questions = questions
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            *(
                Field.radios(question.key, legend_size=Size.SMALL, inline=True)
                for question in questions
            )
        )

    def prepare_fields(self) -> None:
        for question in self.questions:
            self.fields[question.key] = forms.ChoiceField(
                label=question.text,
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select yes or no",
                    "invalid_choice": "Select yes or no",
                },
            )

    def answers(self) -> dict[str, bool]:
        return {
            question.key: self.cleaned_data[question.key] == "yes" for question in self.questions
        }
