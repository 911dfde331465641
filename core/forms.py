"""The project's base forms: one crispy-forms-gds helper, GOV.UK error messages."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms


class GovukFormMixin:
    """Builds the crispy-forms-gds helper once for every form in the portal.

    Subclasses set `submit_label` and, per field, GOV.UK-worded messages in
    `error_messages` ("Enter the amount you are asking for", "Select a priority").
    The `<form>` tag is written by `base_form.html`, so the helper leaves it out.
    """

    submit_label = "Continue"
    label_size = None
    legend_size = Size.SMALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.legend_size
        if self.submit_label:
            self.helper.add_input(Submit("submit", self.submit_label))


class BaseForm(GovukFormMixin, forms.Form):
    pass


class BaseModelForm(GovukFormMixin, forms.ModelForm):
    pass
