"""Forms for the Procurement Act 2023 pages: officers' and approvers' declarations of
interests and the conflicts assessment (s.83), and the notices published on the Central
Digital Platform."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from core.forms import BaseForm, GovukDateField
from procurement.models import Agreement
from procurement.models.notices import NoticeKind

YES_NO = [("yes", "Yes"), ("no", "No")]


class OfficerDeclarationForm(BaseForm):
    submit_label = "Declare"

    has_conflict = forms.ChoiceField(
        label="Do you have any interest that conflicts, or could be seen to conflict, with "
        "your part in this procurement?",
        help_text="For example a personal, professional or financial link with an "
        "organisation that may bid, or with its people",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have a conflict of interest"},
    )
    description = forms.CharField(
        label="Describe the conflict",
        required=False,
        widget=forms.Textarea,
        help_text="Who or what it involves and how",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("has_conflict", inline=True), Field.textarea("description", rows=3)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_conflict") == "yes" and not cleaned.get("description", "").strip():
            self.add_error("description", "Describe the conflict of interest")
        return cleaned


class ConflictsAssessmentForm(BaseForm):
    submit_label = "Record the conflicts assessment"

    steps_taken = forms.CharField(
        label="Conflicts found and the steps taken",
        widget=forms.Textarea,
        help_text="Say what was declared and what was done about it, or that no conflict was found",
        error_messages={"required": "Enter the conflicts found and the steps taken"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("steps_taken", rows=4))


class NoticeForm(BaseForm):
    submit_label = "Record the notice"

    kind = forms.ChoiceField(
        label="Type of notice",
        choices=NoticeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of notice"},
    )
    identifier = forms.CharField(
        label="Notice identifier",
        max_length=60,
        help_text="As the Central Digital Platform shows it",
        error_messages={
            "required": "Enter the notice identifier",
            "max_length": "The notice identifier must be 60 characters or fewer",
        },
    )
    published_on = GovukDateField(
        what="the date the notice was published",
        label="Date published",
        help_text="For example, 27 11 2026",
    )
    agreement = forms.ModelChoiceField(
        label="Contract (contract details notices only)",
        required=False,
        queryset=Agreement.objects.none(),
        empty_label="Choose a contract",
        error_messages={"invalid_choice": "Select one of this opportunity’s contracts"},
    )

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agreement"]
        field.queryset = agreements
        field.label_from_instance = lambda a: f"{a.reference} – {a.decision.bid.organisation}"
        self.helper.layout = Layout(
            Field.radios("kind"),
            Field.text("identifier", field_width=20),
            Field("published_on"),
            Field("agreement"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == NoticeKind.CONTRACT_DETAILS and not cleaned.get("agreement"):
            self.add_error("agreement", "Select the contract the notice is about")
        return cleaned
