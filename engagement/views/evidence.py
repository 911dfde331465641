"""Council staff: the local needs assessment (evidence) and its files."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from commissioning.models import Commission
from core.forms import submitted_id
from core.mixins import FilterQueryMixin, ObjectPermissionRequiredMixin
from core.uploads import file_type_for_name
from engagement.forms.evidence import EvidenceFilterForm, EvidenceForm
from engagement.models import EvidenceItem
from engagement.selectors.evidence import evidence_get, evidence_list
from engagement.services.evidence import evidence_create, evidence_update


class ViewsRecordsMixin(ObjectPermissionRequiredMixin):
    """Officers, approvers and administrators may read the Understand stage's records."""

    permission_required = "engagement.view_records"

    def get_permission_object(self):
        # A role decides, not the object: refuse before looking anything up.
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.request.user.has_perm("engagement.manage")
        return context


class ManagesRecordsMixin(ViewsRecordsMixin):
    """Officers and administrators may add and change them."""

    permission_required = "engagement.manage"


class EvidenceListView(ViewsRecordsMixin, FilterQueryMixin, ListView):
    template_name = "engagement/evidence_list.html"
    context_object_name = "evidence_items"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = EvidenceFilterForm(self.request.GET or None)
        return evidence_list(**self.filter_form.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.filter_form
        context["filtered"] = bool(self.filter_form.filters)
        return context


def _commission_from_query(request) -> Commission | None:
    pk = submitted_id(request.GET, "commission", optional=True)
    return Commission.objects.filter(pk=pk).first() if pk is not None else None


def _evidence_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("remove_file", None)
    return data


class EvidenceCreateView(ManagesRecordsMixin, FormView):
    """Add evidence; `?commission=<pk>` ticks that commission and returns to its gaps."""

    template_name = "engagement/evidence_form.html"
    form_class = EvidenceForm

    @cached_property
    def commission(self) -> Commission | None:
        return _commission_from_query(self.request)

    def get_initial(self):
        initial = super().get_initial()
        if self.commission is not None:
            initial["commissions"] = [self.commission.pk]
        return initial

    def form_valid(self, form):
        evidence = evidence_create(recorded_by=self.request.user, **_evidence_data(form))
        messages.success(self.request, f"Evidence added: {evidence.title}")
        if self.commission is not None and self.commission in form.cleaned_data["commissions"]:
            return redirect("engagement:gap_analysis", pk=self.commission.pk)
        return redirect("engagement:evidence_detail", pk=evidence.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["commission"] = self.commission
        return context


class EvidenceDetailView(ViewsRecordsMixin, DetailView):
    template_name = "engagement/evidence_detail.html"
    context_object_name = "evidence"

    def get_object(self, queryset=None):
        try:
            return evidence_get(pk=self.kwargs["pk"])
        except EvidenceItem.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.file:
            context["file_type"] = file_type_for_name(self.object.file.name)
            try:
                context["file_size"] = self.object.file.size
            except OSError:
                context["file_size"] = None
        return context


class EvidenceUpdateView(ManagesRecordsMixin, FormView):
    template_name = "engagement/evidence_form.html"
    form_class = EvidenceForm

    @cached_property
    def object(self) -> EvidenceItem:
        return get_object_or_404(EvidenceItem, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        evidence = evidence_update(
            evidence=self.object,
            remove_file=form.cleaned_data.get("remove_file", False),
            **_evidence_data(form),
        )
        messages.success(self.request, f"Evidence updated: {evidence.title}")
        return redirect("engagement:evidence_detail", pk=evidence.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence"] = self.object
        return context


class EvidenceFileView(ViewsRecordsMixin, View):
    """The evidence's file, as a download with a name made from its title.

    Uploaded files are never served from a media URL: only through this check.
    """

    def get(self, request, pk: int):
        evidence = get_object_or_404(EvidenceItem, pk=pk)
        if not evidence.file:
            raise Http404
        file_type = file_type_for_name(evidence.file.name)
        if file_type is None:
            raise Http404
        try:
            handle = evidence.file.open("rb")
        except OSError as error:
            raise Http404 from error
        filename = f"{slugify(evidence.title)[:80] or 'evidence'}{file_type.extension}"
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=file_type.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
