"""django-allauth's two-factor sign-in and re-authentication forms in GOV.UK words, laid
out by the portal's crispy-forms-gds helper (core.forms.GovukFormMixin)."""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.recovery_codes import forms as recovery_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

from core.forms import GovukFormMixin, _govuk_field

CODE_HINT = "The 6-digit code your authenticator app shows now, or one of your recovery codes"


def _code_field(field: forms.Field, *, label: str, hint: str) -> None:
    _govuk_field(
        field,
        label=label,
        hint=hint,
        autocomplete="one-time-code",
        required="Enter the code",
    )
    field.widget.attrs.update(
        {"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-10"}
    )


class ActivateTOTPForm(GovukFormMixin, totp_forms.ActivateTOTPForm):
    """Set up an authenticator app: the code it shows proves it holds the secret."""

    submit_label = "Turn on two-factor sign-in"

    def prepare_fields(self) -> None:
        _code_field(
            self.fields["code"],
            label="Enter the 6-digit code from your authenticator app",
            hint="The code changes every 30 seconds",
        )

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError as error:
            if error.code == "incorrect_code":
                raise forms.ValidationError(
                    "The code is not correct. Enter the 6-digit code your authenticator app "
                    "shows now",
                    code="incorrect_code",
                ) from None
            raise


class AuthenticateForm(GovukFormMixin, mfa_base_forms.AuthenticateForm):
    submit_label = "Continue"

    def prepare_fields(self) -> None:
        _code_field(self.fields["code"], label="Code", hint=CODE_HINT)


class CodeReauthenticateForm(GovukFormMixin, mfa_base_forms.ReauthenticateForm):
    submit_label = "Confirm"

    def prepare_fields(self) -> None:
        _code_field(self.fields["code"], label="Code", hint=CODE_HINT)


class PasswordReauthenticateForm(GovukFormMixin, account_forms.ReauthenticateForm):
    submit_label = "Confirm"

    def prepare_fields(self) -> None:
        _govuk_field(
            self.fields["password"],
            label="Password",
            autocomplete="current-password",
            required="Enter your password",
        )


class DeactivateTOTPForm(GovukFormMixin, totp_forms.DeactivateTOTPForm):
    submit_label = "Turn off two-factor sign-in"
    submit_css_class = "govuk-button--warning"


class GenerateRecoveryCodesForm(GovukFormMixin, recovery_forms.GenerateRecoveryCodesForm):
    submit_label = "Make new recovery codes"
