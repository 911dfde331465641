"""Forms for feedback: a provider gives it online, an officer records it, staff filter it."""

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import Area, Commission, CorporatePriority
from core.forms import BaseForm, GovukDateField
from core.templatetags.portal import govuk_date
from engagement.forms.events import AreaChoiceField, areas_all, priorities_current
from engagement.models import EngagementEvent, Feedback
from engagement.selectors import feedback as selectors
from providers.models import Organisation


class CommissionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commission) -> str:
        return obj.title


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EngagementEvent) -> str:
        return f"{obj.title} ({govuk_date(obj.starts_at)})"


SUMMARY_MESSAGES = {
    "required": "Enter a summary of the feedback",
    "max_length": "The summary must be 200 characters or fewer",
}


class _FeedbackFields(BaseForm):
    """What every piece of feedback says, and the priorities and areas it concerns."""

    summary = forms.CharField(
        label="Summary",
        help_text="One sentence that sums up the feedback",
        max_length=200,
        error_messages=SUMMARY_MESSAGES,
    )
    text = forms.CharField(
        label="Feedback",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the feedback"},
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Corporate priorities it concerns (optional)",
        help_text="Select all that apply",
        queryset=CorporatePriority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = AreaChoiceField(
        label="Areas and wards it concerns (optional)",
        help_text="Select all that apply. Leave empty if it is about the whole district.",
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def prepare_fields(self) -> None:
        self.fields["priorities"].queryset = priorities_current()
        self.fields["areas"].queryset = areas_all()

    def layout_fields(self) -> list:
        return [
            Field.checkboxes(name, small=True) if name in ("priorities", "areas") else name
            for name in self.fields
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*self.layout_fields())


class FeedbackGiveForm(_FeedbackFields):
    """A provider user gives feedback online, for one of their organisations."""

    submit_label = "Send feedback"

    commission = CommissionChoiceField(
        label="Which commission is it about? (optional)",
        queryset=Commission.objects.none(),
        required=False,
        empty_label="Not about a particular commission",
        error_messages={"invalid_choice": "Select a commission from the list"},
    )
    organisation = forms.ModelChoiceField(
        label="Which organisation is the feedback from?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select which organisation the feedback is from",
            "invalid_choice": "Select one of your organisations",
        },
    )

    field_order = ["organisation", "commission", "summary", "text", "priorities", "areas"]

    def __init__(self, *args, user, **kwargs):
        self.organisations = list(Organisation.objects.for_user(user).order_by("name"))
        super().__init__(*args, **kwargs)

    @property
    def only_organisation(self) -> Organisation | None:
        """The organisation the feedback comes from when the person belongs to just one."""
        return self.organisations[0] if len(self.organisations) == 1 else None

    def prepare_fields(self) -> None:
        super().prepare_fields()
        commissions = selectors.commissions_open_for_feedback()
        self.fields["commission"].queryset = commissions
        if len(self.organisations) > 1:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[org.pk for org in self.organisations]
            ).order_by("name")
        else:
            del self.fields["organisation"]

    def clean(self):
        cleaned = super().clean()
        if "organisation" not in self.fields:
            cleaned["organisation"] = self.only_organisation
        return cleaned


class FeedbackRecordForm(_FeedbackFields):
    """An officer records feedback from an individual, a community or a provider."""

    submit_label = "Save feedback"

    source = forms.ChoiceField(
        label="Who is the feedback from?",
        choices=Feedback.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the feedback is from"},
    )
    given_by = forms.CharField(
        label="Name of the person, group or organisation (optional)",
        help_text="Leave empty if they asked not to be named",
        max_length=200,
        required=False,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    organisation = forms.ModelChoiceField(
        label="Registered organisation (optional)",
        help_text="If the feedback is from an organisation registered on the portal",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not a registered organisation",
    )
    received_on = GovukDateField(
        what="the date the feedback was received",
        label="Date received",
        help_text="For example, 27 3 2026",
    )
    event = EventChoiceField(
        label="Event it was given at (optional)",
        queryset=EngagementEvent.objects.none(),
        required=False,
        empty_label="Not given at an event",
    )
    commission = CommissionChoiceField(
        label="Which commission is it about? (optional)",
        queryset=Commission.objects.none(),
        required=False,
        empty_label="Not about a particular commission",
    )

    field_order = [
        "source",
        "given_by",
        "organisation",
        "received_on",
        "event",
        "commission",
        "summary",
        "text",
        "priorities",
        "areas",
    ]

    def prepare_fields(self) -> None:
        super().prepare_fields()
        self.fields["organisation"].queryset = Organisation.objects.only("pk", "name").order_by(
            "name"
        )
        self.fields["event"].queryset = selectors.events_for_feedback()
        self.fields["commission"].queryset = Commission.objects.order_by("title")

    def clean_received_on(self):
        received_on = self.cleaned_data.get("received_on")
        if received_on and received_on > timezone.localdate():
            raise ValidationError("The date the feedback was received must be today or in the past")
        return received_on

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("source") == Feedback.Source.PROVIDER
            and not cleaned.get("organisation")
            and not cleaned.get("given_by")
            and "given_by" not in self.errors
        ):
            self.add_error("given_by", "Enter the name of the organisation the feedback is from")
        return cleaned


class FeedbackFilterForm(BaseForm):
    """Narrow the feedback list by commission, source or priority (a GET form)."""

    submit_label = ""

    commission = CommissionChoiceField(
        label="Commission",
        queryset=Commission.objects.none(),
        required=False,
        empty_label="All commissions",
        error_messages={"invalid_choice": "Select a commission from the list"},
    )
    source = forms.ChoiceField(
        label="Who it is from",
        choices=[("", "Everyone"), *Feedback.Source.choices],
        required=False,
        error_messages={"invalid_choice": "Select who the feedback is from"},
    )
    priority = forms.ModelChoiceField(
        label="Corporate priority",
        queryset=CorporatePriority.objects.none(),
        required=False,
        empty_label="All priorities",
        error_messages={"invalid_choice": "Select a priority from the list"},
    )

    def prepare_fields(self) -> None:
        self.fields["commission"].queryset = Commission.objects.order_by("title")
        self.fields["priority"].queryset = priorities_current()

    def filters(self) -> dict:
        """The filters that were chosen and are valid, as `feedback_staff_list` takes them."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "commission": cleaned.get("commission"),
            "source": cleaned.get("source") or "",
            "priority": cleaned.get("priority"),
        }
