"""The project's base forms: one crispy-forms-gds helper, GOV.UK error messages."""

import datetime as dt
import re

from allauth.account import forms as allauth_forms
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.core.validators import RegexValidator
from django.http import QueryDict

# Characters XML 1.0 (feeds, the 360Giving workbook) cannot hold and nobody means to type:
# C0 controls other than tab, line feed and carriage return. Django refuses NUL itself.
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_CHARACTERS_MESSAGE = (
    "Remove the hidden control characters from your answer (they can come with text pasted "
    "from another program)"
)
no_control_characters = RegexValidator(
    CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE, code="control_characters", inverse_match=True
)


class GovukFormMixin:
    """Builds the crispy-forms-gds helper once for every form in the portal.

    Subclasses set `submit_label` and, per field, GOV.UK-worded messages in
    `error_messages` ("Enter the amount you are asking for", "Select a priority").
    The `<form>` tag is written by `base_form.html`, so the helper leaves it out.
    """

    submit_label = "Continue"
    submit_css_class = ""  # e.g. "govuk-button--warning" for a destructive action
    label_size = None
    legend_size = Size.SMALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepare_fields()
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(no_control_characters)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # base_form.html writes the token
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.legend_size
        if self.submit_label:
            self.helper.add_input(
                Submit("submit", self.submit_label, css_class=self.submit_css_class)
            )

    def prepare_fields(self) -> None:
        """Adjust fields a parent class built in `__init__`, before the helper lays them out."""


class BaseForm(GovukFormMixin, forms.Form):
    pass


class BaseModelForm(GovukFormMixin, forms.ModelForm):
    pass


def form_errors_add(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form the person filled in: each message on the
    field it names, or on the whole form when it names none of the form's fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


_ID = re.compile(r"[0-9]{1,18}", re.ASCII)


def submitted_id(data: QueryDict, name: str, *, optional: bool = False) -> int | None:
    """The id a page wrote into a button, a hidden field or a link, as it comes back in
    `data` (request.POST or request.GET): one whole number in ASCII digits.

    Nobody types these, so anything else (a word, "²", a list, a number no database holds)
    is a crafted request: BadRequest, which Django answers with the 400 page. `optional`
    ids may be left out (or empty), giving None. Look the id up within what the person may
    touch, so that someone else's id is "not found" (404)."""
    values = data.getlist(name)
    if optional and values in ([], [""]):
        return None
    if len(values) != 1 or not _ID.fullmatch(values[0]):
        raise BadRequest(f"{name} is not an id")
    return int(values[0])


class TransitionForm(BaseForm):
    """Confirms a lifecycle action: the button carries the action's label (a warning button
    for one that cannot be undone), the reasons are required where the action needs them
    and an optional note otherwise. `seen_state` is the state the person saw, so that a
    change someone else made meanwhile is caught.

    Subclasses say where the reasons are recorded (`recorded`), for the hint.
    """

    recorded = "with your name"

    reason = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"max_length": "Reasons must be 2,000 characters or fewer"},
    )
    seen_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        reason_required: bool = False,
        reason_label: str = "",
        reason_message: str = "",
        submit_label: str = "Confirm",
        warning: bool = False,
        **kwargs,
    ):
        self.submit_label = submit_label
        self.submit_css_class = "govuk-button--warning" if warning else ""
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        self.reason_message = reason_message or "Enter the reasons"
        if reason_required:
            self.fields["reason"].label = reason_label or "Reasons"
            self.fields["reason"].help_text = f"These are recorded {self.recorded}"
        else:
            self.fields["reason"].label = "Note (optional)"
            self.fields["reason"].help_text = f"Recorded {self.recorded}"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if self.reason_required and not reason:
            raise forms.ValidationError(self.reason_message)
        return reason


# --- Accounts: django-allauth's forms in GOV.UK words ----------------------------------------

EMAIL_REQUIRED = "Enter your email address"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
# bandit: a hint about passwords, not a password.
NEW_PASSWORD_HINT = "Must be 8 characters or more. Do not use a common password."  # nosec B105
PASSWORDS_DIFFER = "Enter the same password in both fields"


def _govuk_field(
    field: forms.Field, *, label: str, hint: str = "", autocomplete: str = "", **messages: str
) -> None:
    """Give an allauth field a GOV.UK label, hint and error messages, and no placeholder."""
    field.label = label
    field.help_text = hint
    field.error_messages = {**field.error_messages, **messages}
    field.widget.attrs.pop("placeholder", None)
    if autocomplete:
        field.widget.attrs["autocomplete"] = autocomplete
    if isinstance(field, forms.EmailField):
        field.widget.attrs["spellcheck"] = "false"


def _email_field(field: forms.Field, hint: str = "") -> None:
    _govuk_field(
        field,
        label="Email address",
        hint=hint,
        autocomplete="email",
        required=EMAIL_REQUIRED,
        invalid=EMAIL_INVALID,
    )


class _ConfirmPasswordMixin:
    """Word the "passwords differ" error ourselves.

    allauth checks the two passwords in `clean()` only when both are in `cleaned_data`,
    so rejecting a mismatched `password2` here replaces its message rather than adding one.
    """

    def clean_password2(self) -> str:
        password2 = self.cleaned_data["password2"]
        password1 = self.cleaned_data.get("password1")
        if password1 and password2 != password1:
            raise forms.ValidationError(PASSWORDS_DIFFER, code="password_mismatch")
        return password2


class LoginForm(GovukFormMixin, allauth_forms.LoginForm):
    """Sign in with email address and password; the session ends when the browser closes."""

    submit_label = "Sign in"

    def prepare_fields(self) -> None:
        self.fields.pop("remember", None)
        _email_field(self.fields["login"])
        _govuk_field(self.fields["password"], label="Password", required="Enter your password")

    def clean(self):
        if "remember" not in self.fields:
            # allauth reads this when ACCOUNT_SESSION_REMEMBER is None.
            self.cleaned_data["remember"] = False
        return super().clean()


class SignupForm(GovukFormMixin, _ConfirmPasswordMixin, allauth_forms.SignupForm):
    """Self-registration for people from provider organisations.

    `AccountAdapter.save_user` stores the full name and adds the Provider user role.
    """

    submit_label = "Create account"
    field_order = ["full_name", "email", "password1", "password2"]

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )

    def prepare_fields(self) -> None:
        _email_field(
            self.fields["email"], hint="We will send you a link to confirm your email address."
        )
        _govuk_field(
            self.fields["password1"],
            label="Create a password",
            hint=NEW_PASSWORD_HINT,
            required="Enter a password",
        )
        _govuk_field(
            self.fields["password2"], label="Confirm password", required="Confirm your password"
        )


class ResetPasswordForm(GovukFormMixin, allauth_forms.ResetPasswordForm):
    submit_label = "Send link"

    def prepare_fields(self) -> None:
        _email_field(self.fields["email"])


class ResetPasswordKeyForm(
    GovukFormMixin, _ConfirmPasswordMixin, allauth_forms.ResetPasswordKeyForm
):
    submit_label = "Save password"

    def prepare_fields(self) -> None:
        _govuk_field(
            self.fields["password1"],
            label="New password",
            hint=NEW_PASSWORD_HINT,
            required="Enter a new password",
        )
        _govuk_field(
            self.fields["password2"],
            label="Confirm new password",
            required="Confirm your new password",
        )


class ChangePasswordForm(GovukFormMixin, _ConfirmPasswordMixin, allauth_forms.ChangePasswordForm):
    submit_label = "Change password"

    def prepare_fields(self) -> None:
        _govuk_field(
            self.fields["oldpassword"],
            label="Current password",
            required="Enter your current password",
        )
        _govuk_field(
            self.fields["password1"],
            label="New password",
            hint=NEW_PASSWORD_HINT,
            required="Enter a new password",
        )
        _govuk_field(
            self.fields["password2"],
            label="Confirm new password",
            required="Confirm your new password",
        )


class CountField(forms.DecimalField):
    """A number of things, such as a success measure's target, typed as people write
    numbers: "40", "1,200" or "2.5". Not negative, at most two decimal places, in a text
    input with a decimal keypad. Callers word the messages (`error_messages`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "")
        return super().to_python(value)


class MoneyField(forms.DecimalField):
    """Pounds and pence, typed as people write them: "12500", "£12,500" or "12500.50".

    A text input with a decimal keypad, as the GOV.UK Design System advises, not
    `type=number`. `noun` words the messages: "Enter the indicative budget".
    """

    def __init__(self, *, noun: str, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        bare = noun.removeprefix("the ").removeprefix("The ")
        bare = bare[0].upper() + bare[1:]
        kwargs["error_messages"] = {
            "required": f"Enter {noun}",
            "invalid": f"{bare} must be an amount of money, like 12500",
            "min_value": f"{bare} must be £0 or more",
            "max_digits": f"{bare} must be less than £10 billion",
            "max_whole_digits": f"{bare} must be less than £10 billion",
            "max_decimal_places": f"{bare} must be in pounds and pence, like 12500.50",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)


class DayMonthYearField(DateInputField):
    """crispy-forms-gds's GOV.UK date input. Its digits-only parts let through a year such
    as 99999999999, which no date can hold (OverflowError, not ValueError): that is a date
    that is not real, as a day of 45 is."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except OverflowError as error:
            raise ValidationError("Enter a real date", code="invalid") from error


class GovukDateField(DayMonthYearField):
    """The GOV.UK date input (day, month, year) with messages that name the date.

    `what` is how the error messages refer to the date, for example "the date the
    event starts" gives "Enter the date the event starts" and "The date the event
    starts must be a real date".
    """

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        what_capital = what[0].upper() + what[1:]
        self.error_messages.update(
            {
                "required": f"Enter {what}",
                "incomplete": f"{what_capital} must include a day, month and year",
                "invalid": f"{what_capital} must be a real date",
            }
        )
        for part, subfield in zip(("day", "month", "year"), self.fields, strict=True):
            subfield.error_messages["incomplete"] = f"{what_capital} must include a {part}"
            subfield.validators = []
        self.what_capital = what_capital

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            day, month, year = int(day), int(month), int(year)
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        if year < 1000:
            raise ValidationError(f"{self.what_capital} must include a year with 4 numbers")
        try:
            return dt.date(year, month, day)
        except (ValueError, OverflowError) as error:  # day 45, or year 99999999999999999999
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?P<meridiem>am|pm)?$")


def parse_time_of_day(value: str) -> dt.time | None:
    """Read a time as people write it: 10am, 2:30pm, 2.30pm, 14:30, midday, midnight."""
    text = value.strip().lower().replace(" ", "").replace("a.m.", "am").replace("p.m.", "pm")
    if text in {"midday", "noon", "12noon"}:
        return dt.time(12, 0)
    if text == "midnight":
        return dt.time(0, 0)
    match = TIME.match(text)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["meridiem"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["meridiem"] == "pm" else 0)
    elif match["minute"] is None or hour > 23:
        return None  # "9" could be morning or evening
    if minute > 59:
        return None
    return dt.time(hour, minute)


class TimeOfDayField(forms.CharField):
    """A time typed into a text input, the GOV.UK way: "For example, 10am or 2:30pm"."""

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("help_text", "For example, 10am or 2:30pm")
        super().__init__(**kwargs)
        what_capital = what[0].upper() + what[1:]
        self.error_messages.update(
            {
                "required": f"Enter {what}",
                "invalid": f"{what_capital} must be a time, like 10am or 2:30pm",
            }
        )
        self.widget.attrs.update({"spellcheck": "false", "autocomplete": "off", "maxlength": 20})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        parsed = parse_time_of_day(value[:20])
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def prepare_value(self, value):
        if isinstance(value, dt.time):
            from core.templatetags.portal import govuk_time

            return govuk_time(dt.datetime.combine(dt.date(2000, 1, 1), value))
        return value
