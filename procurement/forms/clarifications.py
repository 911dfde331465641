"""Forms for clarification questions: a bidder asks, an officer publishes the answer."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from core.forms import BaseForm
from providers.models import Organisation

QUESTION_LIMIT = 2000


class ClarificationAskForm(BaseForm):
    """Ask a question privately. The organisation is asked for only when the person belongs
    to more than one."""

    submit_label = "Send your question"

    organisation = forms.ChoiceField(
        label="Which organisation are you asking for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the organisation you are asking for",
            "invalid_choice": "Select one of your organisations",
        },
    )
    question = forms.CharField(
        label="Your question",
        help_text=(
            "The council will publish your question and its answer on this page for every "
            "bidder to read. It will not say who asked."
        ),
        max_length=QUESTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter your question",
            "max_length": "Your question must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        self.organisations = organisations
        super().__init__(*args, **kwargs)
        layout = []
        if "organisation" in self.fields:
            layout.append(Field.radios("organisation", legend_size=Size.SMALL))
        layout.append(Field.textarea("question", rows=6, max_characters=QUESTION_LIMIT))
        self.helper.layout = Layout(*layout)

    def prepare_fields(self) -> None:
        if len(self.organisations) < 2:
            del self.fields["organisation"]
            return
        self.fields["organisation"].choices = [
            (str(org.pk), org.name) for org in self.organisations
        ]

    def clean_organisation(self) -> Organisation:
        value = self.cleaned_data["organisation"]
        return next(org for org in self.organisations if str(org.pk) == value)

    def chosen_organisation(self) -> Organisation | None:
        if "organisation" in self.fields:
            return self.cleaned_data["organisation"]
        return self.organisations[0] if self.organisations else None


class ClarificationAnswerForm(BaseForm):
    """The question as it will be published, and the answer."""

    submit_label = "Publish the answer"

    published_question = forms.CharField(
        label="The question as it will be published",
        help_text="Remove anything that identifies who asked",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the question as it will be published"},
    )
    answer = forms.CharField(
        label="Answer",
        help_text="Every bidder will read this. Answer in plain English.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the answer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("published_question", rows=5),
            Field.textarea("answer", rows=8),
        )
