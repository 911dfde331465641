"""The audit trail for administrators: /staff/audit/, read-only, filtered by person, object,
kind and date. Nothing here writes: the page answers GET only (a POST or DELETE gets 405)."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.views.generic import ListView

from core.audit import (
    AuditFilters,
    AuditKind,
    audit_entries,
    audit_entries_described,
    object_type_choices,
)
from core.forms import BaseForm, GovukDateField
from core.mixins import FilterQueryMixin


class AuditFilterForm(BaseForm):
    submit_label = "Filter"

    person = forms.CharField(
        label="Person's email address",
        help_text="Or part of it",
        required=False,
        max_length=254,
    )
    kind = forms.ChoiceField(label="What happened", required=False)
    object_type = forms.ChoiceField(label="Kind of record", required=False)
    object_id = forms.IntegerField(
        label="Record number",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "invalid": "Record number must be a whole number",
            "min_value": "Record number must be 1 or more",
            "max_value": "Record number is too large",
        },
    )
    date_from = GovukDateField(what="the first day", label="From", required=False)
    date_to = GovukDateField(what="the last day", label="To", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Anything"), *AuditKind.choices]
        self.fields["object_type"].choices = [
            ("", "Any"),
            *[
                (value, str(label)[:1].upper() + str(label)[1:])
                for value, label in object_type_choices()
            ],
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The last day must be the same as or after the first day")
        return data

    def filters(self) -> AuditFilters:
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            person=data.get("person") or "",
            kind=data.get("kind") or "",
            object_type=data.get("object_type") or "",
            object_id=str(data["object_id"]) if data.get("object_id") else "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class AuditTrailView(LoginRequiredMixin, FilterQueryMixin, ListView):
    """Every change and event, newest first; sealed bids left out until their deadline."""

    template_name = "core/audit.html"
    context_object_name = "entries"
    paginate_by = 50
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("core.view_audit_trail"):
            raise PermissionDenied("Only administrators may read the audit trail")
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filter_form(self) -> AuditFilterForm:
        return AuditFilterForm(self.request.GET or None)

    def get_queryset(self):
        return audit_entries(viewer=self.request.user, filters=self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.filter_form, **kwargs)
        context["entries"] = audit_entries_described(context["page_obj"].object_list)
        return context
