"""The form for recording a gap in a commission's gap analysis."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from commissioning.models import Area, Commission
from core.forms import BaseModelForm
from engagement.forms.evidence import area_label
from engagement.models import EvidenceItem, Gap

SEVERITY_HINTS = {
    Gap.Severity.HIGH: "Significant need with little or no provision",
    Gap.Severity.MEDIUM: "Some provision, but it does not meet the need",
    Gap.Severity.LOW: "Need is mostly met; there is room to add value",
}


class GapAreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return area_label(obj)


class GapEvidenceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: EvidenceItem) -> str:
        return f"{obj.title} ({obj.source}, {obj.dated:%B %Y})"


class GapForm(BaseModelForm):
    """A gap between need and existing provision, for one of the commission's priorities
    in one of its areas or across the whole district."""

    submit_label = "Save gap"

    priority = forms.ModelChoiceField(
        label="Corporate Priority",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select a Corporate Priority",
            "invalid_choice": "Select one of the commission's Corporate Priorities",
        },
    )
    area = GapAreaField(
        label="Where is the gap?",
        queryset=None,
        widget=forms.RadioSelect,
        required=False,
        blank=True,
        empty_label="Across the whole district",
        error_messages={
            "invalid_choice": "Select one of the commission's areas, or the whole district"
        },
    )
    severity = forms.ChoiceField(
        label="How severe is the gap?",
        choices=[
            Choice(value, label, hint=SEVERITY_HINTS[value])
            for value, label in Gap.Severity.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how severe the gap is"},
    )
    evidence = GapEvidenceField(
        label="Evidence of the need (optional)",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Select evidence linked to this commission",
            "invalid_pk_value": "Select evidence linked to this commission",
        },
    )

    class Meta:
        model = Gap
        fields = [
            "priority",
            "area",
            "need",
            "current_provision",
            "gap",
            "opportunity",
            "severity",
            "evidence",
        ]
        labels = {
            "need": "What is the need?",
            "current_provision": "What provision exists now?",
            "gap": "What is the gap?",
            "opportunity": "What is the opportunity?",
        }
        help_texts = {
            "need": "Who needs what, and what the evidence and engagement tell us",
            "current_provision": "Statutory, mainstream and funded services that meet some of "
            "the need, and their quality and impact",
            "gap": "The need that existing provision does not meet",
            "opportunity": "Where the council's investment could add value or achieve "
            "significant impact",
        }
        error_messages = {
            "need": {"required": "Describe the need"},
            "current_provision": {"required": "Describe the provision that exists now"},
            "gap": {"required": "Describe the gap"},
            "opportunity": {"required": "Describe the opportunity"},
        }

    def __init__(self, *args, commission: Commission, **kwargs):
        super().__init__(*args, **kwargs)
        self.commission = commission
        self.fields["priority"].queryset = commission.priorities.all()
        priorities = list(self.fields["priority"].queryset)
        if not self.instance.pk and len(priorities) == 1:
            self.initial["priority"] = priorities[0].pk  # the only choice: already chosen
        self.fields["area"].queryset = commission.areas.select_related("parent").order_by(
            "kind", "parent__name", "name"
        )
        evidence = commission.evidence_items.order_by("-dated", "title")
        if self.instance.pk:
            evidence = (evidence | self.instance.evidence.all()).distinct()
        self.fields["evidence"].queryset = evidence
        self.fields[
            "evidence"
        ].help_text = (
            "Evidence linked to this commission. Add evidence for the commission to see it here"
        )
        if self.instance.pk and self.instance.area_id is None:
            self.initial["area"] = ""
        self.helper.layout = Layout(
            Field.radios("priority", legend_size=Size.SMALL),
            Field.radios("area", legend_size=Size.SMALL, small=True),
            Field.textarea("need", rows=4),
            Field.textarea("current_provision", rows=4),
            Field.textarea("gap", rows=4),
            Field.textarea("opportunity", rows=4),
            Field.radios("severity", legend_size=Size.SMALL),
            Field.checkboxes("evidence", legend_size=Size.SMALL, small=True),
        )
