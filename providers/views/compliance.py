"""Compliance documents: members upload them; members and council staff download them."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.text import get_valid_filename
from django.views.generic import FormView, View

from core.mixins import ObjectPermissionRequiredMixin
from core.uploads import file_type_for_name
from providers import selectors, services
from providers.forms import ComplianceDocumentForm
from providers.models import ComplianceDocument, Organisation
from providers.views.mixins import MemberOrganisationMixin


class ComplianceView(MemberOrganisationMixin, FormView):
    """Where the organisation stands on each kind of document, its documents, and a form
    to add one."""

    template_name = "providers/organisation_compliance.html"
    form_class = ComplianceDocumentForm

    def get_initial(self):
        kind = self.request.GET.get("kind", "")
        return {"kind": kind} if kind in ComplianceDocument.Kind.values else {}

    def get_context_data(self, **kwargs):
        organisation, user = self.organisation, self.request.user
        documents = list(selectors.compliance_documents_list(organisation=organisation))
        for document in documents:
            document.can_delete = self.is_org_admin or document.uploaded_by_id == user.pk
        return super().get_context_data(
            documents=documents,
            compliance=selectors.compliance_summary(
                documents=documents,
                bidding=selectors.organisation_is_bidding(organisation=organisation),
            ),
            **kwargs,
        )

    def form_valid(self, form):
        document = services.compliance_document_upload(
            organisation=self.organisation,
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
            expires_on=form.cleaned_data["expires_on"],
            uploaded_by=self.request.user,
        )
        messages.success(self.request, f"{document.get_kind_display()} uploaded")
        return redirect("organisation_compliance", pk=self.organisation.pk)


class ComplianceDocumentDownloadView(ObjectPermissionRequiredMixin, View):
    """GET: the document, as a download (members of its organisation and council staff;
    404 for anyone else). `?delete` asks to confirm removing it; POST removes it (an
    organisation admin, or the member who uploaded it)."""

    permission_required = "providers.view_organisation"

    @cached_property
    def organisation(self) -> Organisation:
        organisation = Organisation.objects.filter(pk=self.kwargs["pk"]).first()
        if organisation is None:
            raise Http404("No such organisation")
        return organisation

    @cached_property
    def document(self) -> ComplianceDocument:
        try:
            return selectors.compliance_document_get(
                organisation=self.organisation, pk=self.kwargs["document_pk"]
            )
        except ComplianceDocument.DoesNotExist as error:
            raise Http404("No such document") from error

    def get_permission_object(self):
        return self.organisation

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise Http404("No such organisation")
        return super().handle_no_permission()

    def _check_can_delete(self) -> None:
        if not self.request.user.has_perm("providers.delete_compliance_document", self.document):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        document = self.document
        if "delete" in request.GET:
            self._check_can_delete()
            return TemplateResponse(
                request,
                "providers/compliance_document_delete.html",
                {"organisation": self.organisation, "document": document},
            )
        file_type = file_type_for_name(document.file.name)
        if file_type is None:
            raise Http404("No such document")
        try:
            handle = document.file.open("rb")
        except OSError as error:
            raise Http404("No such document") from error
        try:
            stem = PurePath(get_valid_filename(document.original_name)).stem[:80]
        except SuspiciousFileOperation:
            stem = ""
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{stem or 'document'}{file_type.extension}",
            content_type=file_type.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def post(self, request, *args, **kwargs):
        document = self.document
        self._check_can_delete()
        services.compliance_document_delete(document=document)
        messages.success(request, f"{document.get_kind_display()} deleted")
        return redirect("organisation_compliance", pk=self.organisation.pk)
