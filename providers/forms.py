"""Forms for provider organisations, in GOV.UK words."""

import re

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from commissioning.models import Area, Sector
from core.forms import BaseForm, BaseModelForm, GovukDateField
from core.uploads import CheckedFileField
from providers import services
from providers.models import ComplianceDocument, Invitation, Membership, Organisation

# A Public Procurement Organisation Number: letters and numbers in groups joined by hyphens,
# as the Central Digital Platform gives it (like PABC-1234-DEFG).
PPON_FORMAT = re.compile(r"[A-Z0-9]{2,8}(-[A-Z0-9]{2,8}){1,4}")
PPON_INVALID = "Enter the PPON as the Central Digital Platform shows it, like PABC-1234-DEFG"


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.name


class WardChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


def wards_all():
    return Area.objects.filter(kind=Area.Kind.WARD).select_related("parent").order_by("name")


class OrganisationForm(BaseModelForm):
    """Register an organisation, or change its details.

    Charity and company numbers are checked for their format, for the numbers the legal
    form must have, and against organisations already registered; `duplicate_of` is
    the organisation already registered with a number, so the page can offer to join it.
    """

    submit_label = "Register organisation"

    charity_number = forms.CharField(
        label="Charity number (if you have one)",
        help_text="Registered with the Charity Commission for England and Wales. "
        "6 or 7 numbers, like 1164883.",
        required=False,
        max_length=20,
        error_messages={"max_length": services.CHARITY_NUMBER_INVALID},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    company_number = forms.CharField(
        label="Company number (if you have one)",
        help_text="Registered with Companies House. 8 characters, like 01234567 or SC123456.",
        required=False,
        max_length=20,
        error_messages={"max_length": services.COMPANY_NUMBER_INVALID},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    ppon = forms.CharField(
        label="Public Procurement Organisation Number (PPON, if you have one)",
        help_text="From the Central Digital Platform, if you have registered to bid for "
        "contracts. Like PABC-1234-DEFG.",
        required=False,
        max_length=20,
        error_messages={"max_length": PPON_INVALID},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    sector = SectorChoiceField(
        label="Which sector is your organisation in?",
        queryset=Sector.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the sector your organisation is in"},
    )
    wards_served = WardChoiceField(
        label="Which wards does your organisation work in? (optional)",
        help_text="Select all that apply",
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "charity_number",
            "company_number",
            "ppon",
            "sector",
            "address",
            "postcode",
            "wards_served",
            "income_band",
            "contact_name",
            "contact_email",
            "contact_telephone",
            "website",
            "description",
        ]
        labels = {
            "name": "Organisation name",
            "legal_form": "What is your organisation’s legal form?",
            "address": "Address (optional)",
            "postcode": "Postcode (optional)",
            "income_band": "What is your organisation’s annual income? (optional)",
            "contact_name": "Contact name (optional)",
            "contact_email": "Contact email address (optional)",
            "contact_telephone": "Contact telephone number (optional)",
            "website": "Website (optional)",
            "description": "What does your organisation do? (optional)",
        }
        help_texts = {
            "name": "The name registered with the Charity Commission or Companies House, "
            "if you are registered",
            "contact_name": "Who the council should contact about the organisation",
            "contact_telephone": "For example, 01524 582000",
            "website": "For example, https://www.example.org",
            "description": "Who you work with and what you do for them, in a few sentences",
        }
        widgets = {
            "legal_form": forms.RadioSelect,
            "income_band": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
            "contact_email": forms.TextInput(
                attrs={"input_type": "email", "autocomplete": "email", "spellcheck": "false"}
            ),
            "contact_telephone": forms.TextInput(
                attrs={"input_type": "tel", "autocomplete": "tel"}
            ),
            "website": forms.TextInput(attrs={"input_type": "url", "spellcheck": "false"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "name": {
                "required": "Enter your organisation’s name",
                "max_length": "The organisation name must be 255 characters or fewer",
            },
            "legal_form": {"required": "Select your organisation’s legal form"},
            "postcode": {"max_length": "Enter a real postcode, like LA1 1PJ"},
            "contact_name": {"max_length": "The contact name must be 150 characters or fewer"},
            "contact_email": {
                "invalid": "Enter an email address in the correct format, like name@example.org",
            },
            "contact_telephone": {
                "max_length": "Enter a telephone number, like 01524 582000",
            },
            "website": {
                "invalid": "Enter the website address in the correct format, "
                "like https://www.example.org",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate_of: Organisation | None = None
        registration = Fieldset(
            Field.text("charity_number", field_width=Fixed.TEN),
            Field.text("company_number", field_width=Fixed.TEN),
            Field.text("ppon", field_width=Fixed.TWENTY),
            legend="Registration numbers",
            legend_size=Size.MEDIUM,
        )
        contact = Fieldset(
            Field.text("contact_name", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_telephone", field_width=Fixed.TWENTY),
            Field.text("website", field_width=Fluid.TWO_THIRDS),
            legend="Contact details",
            legend_size=Size.MEDIUM,
        )
        where = [
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=Fixed.TEN),
        ]
        if self.fields["wards_served"].queryset.exists():
            where.append(Field.checkboxes("wards_served", small=True))
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("legal_form"),
            registration,
            Field.radios("sector"),
            Fieldset(*where, legend="Where you work", legend_size=Size.MEDIUM),
            Field.radios("income_band"),
            contact,
            Field.textarea("description", rows=5),
        )

    def prepare_fields(self) -> None:
        self.fields["wards_served"].queryset = wards_all()
        self.fields["income_band"].choices = [
            choice for choice in self.fields["income_band"].choices if choice[0]
        ]
        self.fields["income_band"].required = False
        self.fields["legal_form"].choices = [
            choice for choice in self.fields["legal_form"].choices if choice[0]
        ]
        if self.instance.pk:
            self.submit_label = "Save changes"

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"].strip().upper()

    def clean_charity_number(self) -> str:
        number = services.normalise_charity_number(self.cleaned_data["charity_number"])
        if number and not services.charity_number_is_valid(number):
            raise ValidationError(services.CHARITY_NUMBER_INVALID)
        return number

    def clean_ppon(self) -> str:
        ppon = self.cleaned_data["ppon"].strip().upper()
        if ppon and not PPON_FORMAT.fullmatch(ppon):
            raise forms.ValidationError(PPON_INVALID)
        return ppon

    def clean_company_number(self) -> str:
        number = services.normalise_company_number(self.cleaned_data["company_number"])
        if number and not services.company_number_is_valid(number):
            raise ValidationError(services.COMPANY_NUMBER_INVALID)
        return number

    def clean(self):
        cleaned = super().clean()
        legal_form = cleaned.get("legal_form")
        if legal_form and not {"charity_number", "company_number"} & set(self.errors):
            problems = services.registration_numbers_check(
                legal_form=legal_form,
                charity_number=cleaned.get("charity_number", ""),
                company_number=cleaned.get("company_number", ""),
                organisation=self.instance,
            )
            self.duplicate_of = self._duplicate(cleaned, problems)
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned

    def _duplicate(self, cleaned: dict, problems: dict) -> Organisation | None:
        others = Organisation.objects.exclude(pk=self.instance.pk)
        if problems.get("charity_number") == services.CHARITY_NUMBER_TAKEN:
            return others.filter(charity_number=cleaned["charity_number"]).first()
        if problems.get("company_number") == services.COMPANY_NUMBER_TAKEN:
            return others.filter(company_number=cleaned["company_number"]).first()
        return None

    def _post_clean(self):
        # The service puts the details on the organisation and validates it; the form
        # keeps the instance as it was so the page still shows the saved details.
        pass

    def organisation_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OrganisationSearchForm(BaseForm):
    """Find an organisation to join, by name or number (GET)."""

    submit_label = "Search"
    submit_css_class = "govuk-button--secondary"

    q = forms.CharField(
        label="Organisation name, charity number or company number",
        max_length=255,
        error_messages={"required": "Enter an organisation name, charity number or company number"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "type": "search"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(Field.text("q", field_width=Fluid.TWO_THIRDS))


class JoinRequestForm(BaseForm):
    """Ask to join the organisation chosen from the search results."""

    submit_label = "Ask to join"

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Select the organisation you want to join",
            "invalid_choice": "Select the organisation you want to join",
        },
    )
    message = forms.CharField(
        label="Message to the organisation’s admins (optional)",
        help_text="Tell them who you are and what you do for the organisation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The message must be 2,000 characters or fewer"},
    )


class SwitchOrganisationForm(forms.Form):
    """Choose which of the person's organisations to work for."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        error_messages={
            "required": "Select an organisation",
            "invalid_choice": "Select one of your organisations",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)


class InvitationForm(BaseModelForm):
    """An organisation admin invites someone by email, as a member or an admin."""

    submit_label = "Send invitation"

    class Meta:
        model = Invitation
        fields = ["email", "role"]
        labels = {
            "email": "Email address",
            "role": "What can they do?",
        }
        help_texts = {
            "email": "We will email them a link to join. The link works for 14 days.",
        }
        widgets = {
            "email": forms.TextInput(
                attrs={"input_type": "email", "autocomplete": "off", "spellcheck": "false"}
            ),
            "role": forms.RadioSelect,
        }
        error_messages = {
            "email": {
                "required": "Enter the email address of the person you want to invite",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            },
            "role": {"required": "Select what they can do"},
        }

    def prepare_fields(self) -> None:
        self.fields["role"].choices = [
            (Membership.Role.MEMBER.value, "Member – can prepare bids and upload documents"),
            (
                Membership.Role.ADMIN.value,
                "Organisation admin – can also change the organisation’s details and "
                "manage members",
            ),
        ]
        self.initial.setdefault("role", Membership.Role.MEMBER.value)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.SMALL),
        )

    def _post_clean(self):
        pass


class JoinRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        error_messages={"required": "Select whether to approve or decline the request"},
    )


class ComplianceDocumentForm(BaseForm):
    """A member adds a compliance document. Insurance needs an expiry date."""

    submit_label = "Upload document"

    kind = forms.ChoiceField(
        label="What is the document?",
        choices=ComplianceDocument.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the document is"},
    )
    file = CheckedFileField(label="Upload a file")
    expires_on = GovukDateField(
        what="the date the document expires",
        label="Expiry date (needed for insurance)",
        help_text="For insurance, the date the policy ends. For example, 31 3 2027",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field("file"),
            Field("expires_on"),
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == ComplianceDocument.Kind.INSURANCE
            and cleaned.get("expires_on") is None
            and "expires_on" not in self.errors
        ):
            self.add_error("expires_on", "Enter the date the insurance expires")
        return cleaned


class VerificationForm(BaseForm):
    """An officer records whether the council has verified the organisation."""

    submit_label = "Save decision"

    decision = forms.ChoiceField(
        label="Can the council verify this organisation?",
        choices=[
            ("verify", "Yes – verify the organisation"),
            ("reject", "No – the organisation cannot be verified"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the organisation can be verified"},
    )
    note = forms.CharField(
        label="Note to the organisation",
        help_text="Needed if the organisation cannot be verified: say what is wrong and "
        "what they need to do. The organisation’s admins are emailed this note.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("note", rows=4),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("note", "").strip():
            self.add_error("note", services.REJECTION_NOTE_NEEDED)
        return cleaned


class StaffOrganisationFilterForm(forms.Form):
    """The staff list's filters (GET)."""

    status = forms.ChoiceField(
        label="Verification status",
        required=False,
        choices=[("", "All statuses"), *Organisation.Verification.choices],
    )
    sector = forms.ModelChoiceField(
        label="Sector", required=False, queryset=Sector.objects.all(), empty_label="All sectors"
    )
