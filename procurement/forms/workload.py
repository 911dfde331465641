"""Forms for the panel's workload: assigning every bid automatically, and a batch action on
several bids (assign, move, remind)."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from core.forms import BaseForm


class AutoAssignForm(BaseForm):
    submit_label = "Assign the bids automatically"

    per_bid = forms.IntegerField(
        label="How many panel members should score each bid?",
        help_text="Bids go to the panel members with the fewest so far, never to one who "
        "declared a conflict. You can change the result by hand on the panel page.",
        min_value=1,
        error_messages={
            "required": "Enter how many panel members should score each bid",
            "invalid": "Enter a whole number, like 2",
            "min_value": "Enter 1 or more",
        },
    )

    def __init__(self, *args, panel_size: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel_size = panel_size
        self.helper.layout = Layout(Field.text("per_bid", field_width=2))

    def clean_per_bid(self) -> int:
        per_bid = self.cleaned_data["per_bid"]
        if per_bid > self.panel_size:
            raise forms.ValidationError(
                f"Enter {self.panel_size} or fewer: the panel has {self.panel_size} "
                f"member{'s' if self.panel_size != 1 else ''}"
            )
        return per_bid


BATCH_ACTIONS = [
    ("assign", "Assign them to a panel member"),
    ("move", "Move them from one panel member to another"),
    ("remind", "Remind the panel members who have not sent their scores"),
]


class BatchForm(BaseForm):
    submit_label = "Apply to the bids chosen"

    bids = forms.MultipleChoiceField(
        label="Bids",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one bid",
            "invalid_choice": "Select bids received for this opportunity",
        },
    )
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=BATCH_ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to do with the bids"},
    )
    source = forms.TypedChoiceField(
        label="Move from (moving only)",
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Select a panel member"},
    )
    to = forms.TypedChoiceField(
        label="Assign or move to",
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Select a panel member"},
    )

    def __init__(self, *args, bids, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bids"].choices = [
            (str(bid.pk), f"{bid.reference} – {bid.organisation.name}") for bid in bids
        ]
        people = [("", "Choose a panel member")] + [
            (member.pk, member.user.get_full_name()) for member in members
        ]
        self.fields["source"].choices = people
        self.fields["to"].choices = people
        self.members = {member.pk: member for member in members}
        self.helper.layout = Layout(
            Field.checkboxes("bids", small=True),
            Field.radios("action"),
            Field("source"),
            Field("to"),
        )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action in ("assign", "move") and not cleaned.get("to"):
            self.add_error("to", "Select the panel member to give the bids to")
        if action == "move" and not cleaned.get("source"):
            self.add_error("source", "Select the panel member to move the bids from")
        return cleaned

    def bid_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["bids"]}

    def member(self, name: str):
        return self.members.get(self.cleaned_data.get(name))
