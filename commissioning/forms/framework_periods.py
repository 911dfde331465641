from crispy_forms_gds.layout import Field, Layout
from django import forms

from core.forms import BaseForm

YEAR_MESSAGES = {
    "required": "Enter the {which} year, like 2026",
    "invalid": "The {which} year must be a year in numbers, like 2026",
    "min_value": "The {which} year must be 2000 or later",
    "max_value": "The {which} year must be 2100 or earlier",
}


def _year(which: str, label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        error_messages={key: text.format(which=which) for key, text in YEAR_MESSAGES.items()},
    )


class FrameworkPeriodForm(BaseForm):
    submit_label = "Start the new period"

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Commissioning Framework",
        error_messages={
            "required": "Enter the title of the framework",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    period_start = _year("first", "First year")
    period_end = _year("last", "Last year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("title"),
            Field.text("period_start", field_width=4),
            Field.text("period_end", field_width=4),
        )
