"""Forms for engagement events: the officer's event form, booking a place, attendance."""

import datetime as dt

from crispy_forms_gds.layout import Field, Fixed, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import Area, Commission, CorporatePriority
from core.forms import BaseForm, BaseModelForm, GovukDateField, TimeOfDayField
from engagement.models import Booking, EngagementEvent
from providers.models import Organisation


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


class TitleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


def priorities_current():
    return CorporatePriority.objects.filter(framework__is_current=True).order_by("order", "name")


def areas_all():
    return Area.objects.select_related("parent").order_by("kind", "name")


class EventForm(BaseModelForm):
    """An officer creates or changes an engagement event.

    The start and end are entered as a GOV.UK date input and times typed as people
    write them; `cleaned_data` gains `starts_at` and `ends_at` in Europe/London.
    """

    submit_label = "Save event"

    start_date = GovukDateField(
        what="the date the event starts",
        label="Date",
        help_text="For example, 26 11 2026",
    )
    start_time = TimeOfDayField(what="the start time", label="Start time")
    end_time = TimeOfDayField(what="the end time", label="End time")
    end_date = GovukDateField(
        what="the date the event ends",
        label="End date (optional)",
        help_text="Only if the event ends on a different day, such as a survey open for a month",
        required=False,
    )
    commissions = TitleChoiceField(
        queryset=Commission.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Commissions the event is about (optional)",
        help_text="Select all that apply",
    )
    priorities = forms.ModelMultipleChoiceField(
        queryset=CorporatePriority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Corporate priorities (optional)",
        help_text="Select all that apply",
    )
    areas = AreaChoiceField(
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Areas and wards (optional)",
        help_text="Select the places the event is for. Leave empty for the whole district.",
    )

    class Meta:
        model = EngagementEvent
        fields = [
            "title",
            "kind",
            "description",
            "venue",
            "address",
            "online_url",
            "audience",
            "capacity",
            "accessibility",
            "commissions",
            "priorities",
            "areas",
            "is_published",
            "bookings_open",
        ]
        labels = {
            "title": "Event title",
            "kind": "What kind of event is it?",
            "description": "Description",
            "venue": "Venue (optional if the event is online)",
            "address": "Venue address (optional)",
            "online_url": "Online link (optional)",
            "audience": "Who is the event for?",
            "capacity": "Number of places (optional)",
            "accessibility": "Access information (optional)",
            "is_published": "Publish this event on the portal",
            "bookings_open": "Take bookings",
        }
        help_texts = {
            "description": "What the event is for and what will happen. People see this.",
            "venue": "For example, Morecambe Town Hall",
            "online_url": (
                "A link to the online meeting or survey. Only people who have booked see "
                "a meeting link."
            ),
            "capacity": "Leave empty if there is no limit on places",
            "accessibility": "For example, step-free access, hearing loop, parking",
            "is_published": "People can see the event and book a place once it is published",
            "bookings_open": "Untick to stop people booking, for example for a survey",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "capacity": forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            # A TextInput so crispy-forms-gds styles it; the browser still sees type="url".
            "online_url": forms.TextInput(attrs={"input_type": "url", "spellcheck": "false"}),
        }
        error_messages = {
            "title": {
                "required": "Enter the event title",
                "max_length": "The event title must be 200 characters or fewer",
            },
            "kind": {"required": "Select what kind of event it is"},
            "description": {"required": "Enter a description of the event"},
            "venue": {"max_length": "The venue must be 200 characters or fewer"},
            "online_url": {
                "invalid": "Enter the online link in the correct format, like https://example.org",
            },
            "audience": {"required": "Select who the event is for"},
            "capacity": {
                "invalid": "The number of places must be a whole number, like 30",
                "min_value": "The number of places must be 1 or more",
            },
        }

    field_order = [
        "title",
        "kind",
        "description",
        "start_date",
        "start_time",
        "end_time",
        "end_date",
        "venue",
        "address",
        "online_url",
        "audience",
        "capacity",
        "accessibility",
        "commissions",
        "priorities",
        "areas",
        "is_published",
        "bookings_open",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("title"),
            Field.radios("kind"),
            Field.textarea("description"),
            Field("start_date"),
            Field.text("start_time", field_width=Fixed.FIVE),
            Field.text("end_time", field_width=Fixed.FIVE),
            Field("end_date"),
            Field.text("venue"),
            Field.textarea("address", rows=3),
            Field.text("online_url"),
            Field.radios("audience"),
            Field.text("capacity", field_width=Fixed.FIVE),
            Field.textarea("accessibility", rows=3),
            Field.checkboxes("commissions", small=True),
            Field.checkboxes("priorities", small=True),
            Field.checkboxes("areas", small=True),
            Field.checkbox("is_published"),
            Field.checkbox("bookings_open"),
        )

    def prepare_fields(self) -> None:
        self.fields["commissions"].queryset = Commission.objects.order_by("title")
        self.fields["priorities"].queryset = priorities_current()
        self.fields["areas"].queryset = areas_all()
        if self.instance.pk:
            starts_at = timezone.localtime(self.instance.starts_at)
            ends_at = timezone.localtime(self.instance.ends_at)
            self.initial.setdefault("start_date", starts_at.date())
            self.initial.setdefault("start_time", starts_at.time())
            self.initial.setdefault("end_time", ends_at.time())
            if ends_at.date() != starts_at.date():
                self.initial.setdefault("end_date", ends_at.date())
        else:
            self.initial.setdefault("bookings_open", True)

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise ValidationError("The number of places must be 1 or more")
        if capacity is not None and self.instance.pk:
            booked = self.instance.bookings.filter(status=Booking.Status.BOOKED).count()
            if capacity < booked:
                already = "1 place is" if booked == 1 else f"{booked} places are"
                raise ValidationError(
                    f"{already} already booked: the number of places must be {booked} or more"
                )
        return capacity

    def clean(self):
        cleaned = super().clean()
        start_date = cleaned.get("start_date")
        start_time = cleaned.get("start_time")
        end_time = cleaned.get("end_time")
        if start_date and start_time and end_time and "end_date" not in self.errors:
            end_date = cleaned.get("end_date") or start_date
            starts_at = timezone.make_aware(dt.datetime.combine(start_date, start_time))
            ends_at = timezone.make_aware(dt.datetime.combine(end_date, end_time))
            if ends_at <= starts_at:
                field = "end_date" if cleaned.get("end_date") else "end_time"
                self.add_error(field, "The end must be after the start")
            else:
                cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        if (
            not cleaned.get("venue")
            and not cleaned.get("online_url")
            and "online_url" not in (self.errors)
        ):
            self.add_error("venue", "Enter the venue, or an online link if the event is online")
        return cleaned

    def event_data(self) -> dict:
        """The cleaned values as the keyword arguments `event_create` and `event_update` take."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["starts_at"] = self.cleaned_data["starts_at"]
        data["ends_at"] = self.cleaned_data["ends_at"]
        return data


class BookingForm(BaseForm):
    """Book a place: which organisation the person is coming for, and any access needs."""

    submit_label = "Book a place"
    NO_ORGANISATION = "none"

    organisation = forms.ChoiceField(
        label="Which organisation are you coming for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the organisation you are coming for, or that you are coming "
            "for yourself",
            "invalid_choice": "Select one of your organisations",
        },
    )
    access_needs = forms.CharField(
        label="Access needs (optional)",
        help_text=(
            "Tell us anything we need to arrange so you can take part, for example step-free "
            "access, a hearing loop, a British Sign Language interpreter or a dietary need"
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Access needs must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, user, **kwargs):
        self.organisations = list(Organisation.objects.for_user(user).order_by("name"))
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        if not self.organisations:
            del self.fields["organisation"]
            return
        self.fields["organisation"].choices = [
            (str(org.pk), org.name) for org in self.organisations
        ] + [(self.NO_ORGANISATION, "I am coming for myself, not for an organisation")]
        if len(self.organisations) == 1:
            self.fields["organisation"].initial = str(self.organisations[0].pk)

    def clean_organisation(self) -> Organisation | None:
        value = self.cleaned_data["organisation"]
        if value == self.NO_ORGANISATION:
            return None
        return next(org for org in self.organisations if str(org.pk) == value)


class AttendanceForm(BaseForm):
    """Who came to the event (yes or no for each person booked) and notes from the event."""

    submit_label = "Save attendance"
    CHOICES = [("yes", "Yes"), ("no", "No")]

    notes = forms.CharField(
        label="Notes from the event (optional)",
        help_text="What people said, questions asked and anything to follow up",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, bookings: list[Booking], event: EngagementEvent, **kwargs):
        self.bookings = bookings
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("notes", event.notes)
        for booking in bookings:
            if booking.attended is not None:
                kwargs["initial"].setdefault(
                    self.field_name(booking), "yes" if booking.attended else "no"
                )
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            *(Field.radios(self.field_name(booking), small=True) for booking in bookings),
            Field.textarea("notes", rows=8),
        )

    @staticmethod
    def field_name(booking: Booking) -> str:
        return f"attended_{booking.pk}"

    def prepare_fields(self) -> None:
        notes = self.fields.pop("notes")
        for booking in self.bookings:
            self.fields[self.field_name(booking)] = forms.ChoiceField(
                label=f"Did {booking.user.get_full_name()} come?",
                help_text=booking.organisation.name if booking.organisation_id else "",
                choices=self.CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields["notes"] = notes

    def attendance(self) -> dict[int, bool | None]:
        """Booking id → attended (True, False, or None when not answered)."""
        answers = {"yes": True, "no": False}
        return {
            booking.pk: answers.get(self.cleaned_data.get(self.field_name(booking)) or "")
            for booking in self.bookings
        }
