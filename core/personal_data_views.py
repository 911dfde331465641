"""Personal data (UK GDPR): a person downloads what the portal holds about them and asks for
their account to be closed; an administrator sees the requests and anonymises the account."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import BaseForm
from core.mixins import StaffRequiredMixin
from core.models import ClosureRequest, PersonalDataEvent
from core.personal_data import personal_data_for
from core.reauthentication import reauthentication_check
from core.retention import (
    closure_request_make,
    is_anonymised,
    retention_notice_rows,
    user_anonymise,
)


class AccountDataView(LoginRequiredMixin, View):
    """Download, as JSON, everything the portal holds about the signed-in person."""

    def get(self, request):
        data = personal_data_for(user=request.user)
        PersonalDataEvent.objects.create(
            kind=PersonalDataEvent.Kind.DATA_DOWNLOADED,
            subject_id=request.user.pk,
            actor=request.user,
        )
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="your-data-{day}.json"'
        response["Cache-Control"] = "no-store"
        return response


class ClosureRequestForm(BaseForm):
    submit_label = "Ask to close your account"
    submit_css_class = "govuk-button--warning"

    reason = forms.CharField(
        label="Why do you want to close your account? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AccountCloseView(LoginRequiredMixin, FormView):
    """Ask for one's account to be closed: an administrator then anonymises it."""

    template_name = "core/account_close.html"
    form_class = ClosureRequestForm

    def get_context_data(self, **kwargs):
        pending = ClosureRequest.objects.filter(
            user=self.request.user, status=ClosureRequest.Status.PENDING
        ).first()
        return super().get_context_data(pending=pending, **kwargs)

    def form_valid(self, form):
        closure_request_make(user=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(
            self.request,
            "You have asked us to close your account. An administrator will do this and "
            "email you within one month.",
        )
        return redirect("account_close")


class AdministratorRequiredMixin(StaffRequiredMixin):
    permission_required = "core.manage_personal_data"


class ClosureRequestListView(AdministratorRequiredMixin, ListView):
    """Requests to close accounts, those still waiting first."""

    template_name = "core/closure_requests.html"
    context_object_name = "closure_requests"
    paginate_by = 25

    def get_queryset(self):
        return ClosureRequest.objects.select_related("user").order_by(
            "-status", "requested_at", "pk"
        )


class AnonymiseConfirmForm(BaseForm):
    submit_label = "Close and anonymise this account"
    submit_css_class = "govuk-button--warning"


class ClosureRequestAnonymiseView(AdministratorRequiredMixin, FormView):
    """Confirm, then anonymise the account a closure request is about."""

    template_name = "core/closure_request_anonymise.html"
    form_class = AnonymiseConfirmForm

    def dispatch(self, request, *args, **kwargs):
        self.closure_request = None
        try:
            self.closure_request = ClosureRequest.objects.select_related("user").get(
                pk=kwargs["pk"]
            )
        except ClosureRequest.DoesNotExist as error:
            if request.user.has_perm("core.manage_personal_data"):
                raise Http404("No such request") from error
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            closure_request=self.closure_request,
            already_done=is_anonymised(self.closure_request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # Closing someone's account cannot be undone: confirm who you are first.
        reauthentication_check(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.closure_request.user
        if user.pk == self.request.user.pk:
            messages.error(self.request, "Another administrator must close your own account")
            return redirect("closure_requests")
        if user_anonymise(user=user, actor=self.request.user, note="Closed on request"):
            messages.success(self.request, "The account has been closed and anonymised")
        else:
            messages.info(self.request, "The account was already closed")
        return redirect("closure_requests")


class PrivacyView(TemplateView):
    """The privacy notice: its table of how long records are kept is made from
    settings.RETENTION, which the nightly sweep applies."""

    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(retention_rows=retention_notice_rows(), **kwargs)
