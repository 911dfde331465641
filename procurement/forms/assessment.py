"""Forms for the panel: adding members, assigning bids, resolving conflicts, declaring
interests and scoring. The pages lay most of them out by hand (templates/procurement/
assessment/), so that conditional reveals and the score grid follow the GOV.UK patterns."""

from crispy_forms_gds.choices import Choice
from django import forms

from core.forms import BaseForm
from core.models import User
from procurement.models import Assignment, ConflictKind, PanelMember, Question, ScoreDescriptor
from procurement.selectors import assessment as selectors
from procurement.services.assessment import DeclarationInput
from providers.models import Organisation

DESCRIPTION_LIMIT = 2000
COMMENT_LIMIT = 5000
HAS_CONFLICT = "yes"
NO_CONFLICT = "no"
NO_ONE_ELSE = "none"


def _kind_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="What kind of conflict is it?",
        choices=[
            Choice(
                ConflictKind.PERSONAL,
                "Personal",
                hint="For example, a relative or close friend works for or runs it",
            ),
            Choice(
                ConflictKind.PROFESSIONAL,
                "Professional",
                hint="For example, you work with it, advise it or are on its board",
            ),
            Choice(
                ConflictKind.FINANCIAL,
                "Financial",
                hint="For example, you or someone close to you could gain or lose money",
            ),
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select the kind of conflict"},
    )


def _description_field() -> forms.CharField:
    return forms.CharField(
        label="Describe the conflict",
        help_text="Say who is involved and how. The commissioning officer reads this.",
        required=False,
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"The description must be {DESCRIPTION_LIMIT:,} characters or fewer"
        },
    )


# --- The panel page ------------------------------------------------------------------------------


class PanelMemberAddForm(BaseForm):
    submit_label = "Add to the panel"

    user = forms.ModelChoiceField(
        label="Add a panel member",
        help_text="People in the Panel member role who are not on this panel yet",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Select the person to add to the panel",
            "invalid_choice": "Select a person in the Panel member role",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = candidates
        field.label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        # The candidates read once, for the list and for whether there is anyone to add.
        # (Through iter(): list() of the choices themselves would count the candidates first.)
        field.widget.choices = list(iter(field.choices))

    @property
    def has_candidates(self) -> bool:
        """Anyone to choose besides the "Choose a person" prompt."""
        return len(self.fields["user"].widget.choices) > 1


class AssignmentsForm(BaseForm):
    """The assignment grid: a checkbox for each bid and panel member who has not declared a
    conflict with it."""

    submit_label = "Save assignments"

    assign = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, grid: list[selectors.GridRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assign"].choices = [
            (cell.field_value, cell.field_value)
            for row in grid
            for cell in row.cells
            if not cell.conflicted
        ]
        self.fields["assign"].error_messages["invalid_choice"] = (
            "Someone declared a conflict while you were choosing. Check the assignments again"
        )

    def wanted(self) -> set[tuple[int, int]]:
        pairs = set()
        for value in self.cleaned_data["assign"]:
            bid_id, place_id = value.split("-")
            pairs.add((int(bid_id), int(place_id)))
        return pairs


class ConflictResolveForm(BaseForm):
    submit_label = "Save"

    resolution = forms.ChoiceField(
        label="Who will assess the bid instead?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who will assess the bid instead, or that no one else is needed",
            "invalid_choice": "Select one of the panel members listed",
        },
    )
    reason = forms.CharField(
        label="Why is no one else needed?",
        required=False,
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"The reason must be {DESCRIPTION_LIMIT:,} characters or fewer"
        },
    )

    def __init__(
        self,
        *args,
        assignment: Assignment,
        candidates: list[PanelMember],
        others_assessing: bool,
        **kwargs,
    ):
        self.assignment = assignment
        self.candidates = {str(place.pk): place for place in candidates}
        self.others_assessing = others_assessing
        super().__init__(*args, **kwargs)
        choices = [
            Choice(
                str(place.pk),
                place.user.get_full_name(),
                hint="" if place.has_declared else "Has not declared their interests yet",
            )
            for place in candidates
        ]
        choices.append(Choice(NO_ONE_ELSE, "No one else is needed"))
        self.fields["resolution"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolution") == NO_ONE_ELSE:
            if not self.others_assessing:
                self.add_error(
                    "resolution",
                    f"No one else is assessing {self.assignment.bid.reference}. "
                    "Select a panel member to reassign it to",
                )
            if not (cleaned.get("reason") or "").strip():
                self.add_error("reason", "Enter why no one else is needed")
        return cleaned

    def reassign_to(self) -> PanelMember | None:
        return self.candidates.get(self.cleaned_data["resolution"])


# --- Declarations --------------------------------------------------------------------------------


class DeclarationForm(BaseForm):
    """For each organisation that bid: a conflict of interest or not, and if so its kind and
    a description."""

    submit_label = "Send your declarations"

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        self.organisations = organisations
        super().__init__(*args, **kwargs)
        for organisation in organisations:
            self.fields[f"conflict_{organisation.pk}"] = forms.ChoiceField(
                label=organisation.name,
                choices=[
                    (NO_CONFLICT, "No conflict of interest"),
                    (HAS_CONFLICT, "I have a conflict of interest"),
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select whether you have a conflict of interest with "
                    f"{organisation.name}",
                    "invalid_choice": "Select whether you have a conflict of interest with "
                    f"{organisation.name}",
                },
            )
            self.fields[f"kind_{organisation.pk}"] = _kind_field()
            self.fields[f"description_{organisation.pk}"] = _description_field()

    def groups(self):
        """(organisation, conflict field, kind field, description field) for the page."""
        return [
            (
                organisation,
                self[f"conflict_{organisation.pk}"],
                self[f"kind_{organisation.pk}"],
                self[f"description_{organisation.pk}"],
            )
            for organisation in self.organisations
        ]

    def clean(self):
        cleaned = super().clean()
        for organisation in self.organisations:
            if cleaned.get(f"conflict_{organisation.pk}") != HAS_CONFLICT:
                continue
            kind, description = f"kind_{organisation.pk}", f"description_{organisation.pk}"
            if not cleaned.get(kind) and not self.has_error(kind):
                self.add_error(kind, f"Select the kind of conflict with {organisation.name}")
            if not (cleaned.get(description) or "").strip() and not self.has_error(description):
                self.add_error(description, f"Describe the conflict with {organisation.name}")
        return cleaned

    def declarations(self) -> list[DeclarationInput]:
        data = self.cleaned_data
        result = []
        for organisation in self.organisations:
            conflicted = data[f"conflict_{organisation.pk}"] == HAS_CONFLICT
            result.append(
                DeclarationInput(
                    organisation=organisation,
                    has_conflict=conflicted,
                    kind=data.get(f"kind_{organisation.pk}", "") if conflicted else "",
                    description=data.get(f"description_{organisation.pk}", "")
                    if conflicted
                    else "",
                )
            )
        return result


class AssignmentConflictForm(BaseForm):
    """A conflict found while reading a bid: with which of its organisations, what kind, and
    a description."""

    submit_label = "Declare the conflict"
    submit_css_class = "govuk-button--warning"

    organisation = forms.ChoiceField(
        label="Which organisation do you have a conflict with?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the organisation you have a conflict with",
            "invalid_choice": "Select the organisation you have a conflict with",
        },
    )

    def __init__(self, *args, organisations: list[Organisation], lead_id: int, **kwargs):
        self.organisations = {str(o.pk): o for o in organisations}
        super().__init__(*args, **kwargs)
        self.fields["kind"] = _kind_field()
        self.fields["description"] = _description_field()
        self.fields["organisation"].choices = [
            Choice(
                str(o.pk),
                o.name,
                hint="Lead organisation" if o.pk == lead_id else "Consortium partner",
            )
            for o in organisations
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("kind") and not self.has_error("kind"):
            self.add_error("kind", "Select the kind of conflict")
        if not (cleaned.get("description") or "").strip() and not self.has_error("description"):
            self.add_error("description", "Describe the conflict")
        return cleaned

    def chosen_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


# --- Scores --------------------------------------------------------------------------------------


def score_field_name(question: Question) -> str:
    return f"score_{question.pk}"


def comment_field_name(question: Question) -> str:
    return f"comment_{question.pk}"


class ScoreForm(BaseForm):
    """A score from 0 to 5 and a comment for each question. Nothing is required to save; a
    score needs a comment."""

    submit_label = "Save and come back later"

    def __init__(
        self,
        *args,
        questions: list[Question],
        descriptors: list[ScoreDescriptor],
        **kwargs,
    ):
        self.questions = questions
        super().__init__(*args, **kwargs)
        choices = [(str(d.score), f"{d.score} – {d.label}") for d in descriptors]
        for number, question in enumerate(questions, start=1):
            self.fields[score_field_name(question)] = forms.ChoiceField(
                label=f"Your score for question {number}",
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={
                    # bandit: "Select a score from" is an error message, not SQL.
                    "invalid_choice": (
                        f"Select a score from 0 to 5 for question {number}"  # nosec B608
                    )
                },
            )
            self.fields[comment_field_name(question)] = forms.CharField(
                label=f"Your comment on question {number}",
                help_text="Why you gave this score: what the answer shows, and what it lacks",
                required=False,
                max_length=COMMENT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={
                    "max_length": f"Your comment on question {number} must be "
                    f"{COMMENT_LIMIT:,} characters or fewer"
                },
            )

    def clean(self):
        cleaned = super().clean()
        for number, question in enumerate(self.questions, start=1):
            score = cleaned.get(score_field_name(question))
            comment = (cleaned.get(comment_field_name(question)) or "").strip()
            if score and not comment and not self.has_error(comment_field_name(question)):
                self.add_error(
                    comment_field_name(question),
                    f"Enter a comment for your score for question {number}",
                )
            if comment and not score and not self.has_error(score_field_name(question)):
                self.add_error(
                    score_field_name(question),
                    f"Select a score for question {number} to go with your comment",
                )
        return cleaned

    def rows(self):
        """(number, question, score field, comment field) for the page."""
        return [
            (number, question, self[score_field_name(question)], self[comment_field_name(question)])
            for number, question in enumerate(self.questions, start=1)
        ]

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            question.pk: (
                int(data[score_field_name(question)])
                if data.get(score_field_name(question))
                else None,
                data.get(comment_field_name(question), ""),
            )
            for question in self.questions
        }


def score_form_initial(*, questions: list[Question], scores: dict) -> dict:
    initial = {}
    for question in questions:
        score = scores.get(question.pk)
        if score is not None:
            initial[score_field_name(question)] = str(score.score)
            initial[comment_field_name(question)] = score.comment
    return initial


class ScoreSubmitForm(BaseForm):
    submit_label = "Send your scores"
