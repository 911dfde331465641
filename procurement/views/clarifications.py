"""Clarification questions: a provider asks privately before the deadline; an officer
publishes the question (with anything identifying removed) and its answer for everyone."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from core.forms import form_errors_add
from core.mixins import ObjectPermissionRequiredMixin
from core.rules import is_provider_user
from procurement.forms.clarifications import ClarificationAnswerForm, ClarificationAskForm
from procurement.models import Clarification, Opportunity
from procurement.selectors import clarifications as selectors
from procurement.selectors import opportunities as opportunity_selectors
from procurement.services import clarifications as services

MANAGE = "procurement.manage_opportunities"


class ClarificationAskView(LoginRequiredMixin, FormView):
    """A provider user asks a question about a published opportunity, before its deadline."""

    form_class = ClarificationAskForm
    template_name = "procurement/clarification_ask.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.opportunity  # noqa: B018 - 404 before 403: an unpublished one does not exist here
        if not is_provider_user.test(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def opportunity(self) -> Opportunity:
        try:
            return Opportunity.objects.published().get(slug=self.kwargs["slug"])
        except Opportunity.DoesNotExist as error:
            raise Http404("No such opportunity") from error

    @cached_property
    def status(self) -> str:
        return opportunity_selectors.opportunity_status(opportunity=self.opportunity)

    @property
    def takes_questions(self) -> bool:
        return self.status in (
            opportunity_selectors.Status.UPCOMING,
            opportunity_selectors.Status.OPEN,
        )

    def post(self, request, *args, **kwargs):
        if not self.takes_questions:
            messages.error(request, services.DEADLINE_PASSED)
            return redirect(self.opportunity)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": selectors.organisations_for_asking(user=self.request.user),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            opportunity=self.opportunity,
            takes_questions=self.takes_questions,
            deadline=opportunity_selectors.opportunity_deadline_words(opportunity=self.opportunity),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.clarification_ask(
                opportunity=self.opportunity,
                user=self.request.user,
                organisation=form.chosen_organisation(),
                question=form.cleaned_data["question"],
            )
        except services.ClarificationRefused as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            "Your question has been sent. When the council answers it, the question and answer "
            "will be published on this page, without saying who asked, and we will email you.",
        )
        return redirect(self.opportunity)


class ManageMixin(ObjectPermissionRequiredMixin):
    permission_required = MANAGE

    def get_permission_object(self):
        return None


class StaffClarificationListView(ManageMixin, TemplateView):
    """The opportunity's questions: those waiting for an answer, then those published."""

    template_name = "procurement/clarification_list.html"

    @cached_property
    def opportunity(self) -> Opportunity:
        try:
            return Opportunity.objects.select_related("specification__commission").get(
                pk=self.kwargs["pk"]
            )
        except Opportunity.DoesNotExist as error:
            raise Http404("No such opportunity") from error

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            opportunity=self.opportunity,
            clarifications=selectors.clarifications_staff_list(opportunity=self.opportunity),
            **kwargs,
        )


class ClarificationAnswerView(ManageMixin, FormView):
    """Edit the question as it will be published and write the answer; publishing it shows
    both to everyone, without saying who asked."""

    form_class = ClarificationAnswerForm
    template_name = "procurement/clarification_answer.html"

    @cached_property
    def clarification(self) -> Clarification:
        try:
            return selectors.clarification_staff_get(pk=self.kwargs["pk"])
        except Clarification.DoesNotExist as error:
            raise Http404("No such question") from error

    def post(self, request, *args, **kwargs):
        if self.clarification.published_at is not None:
            messages.error(request, "This answer has already been published")
            return redirect(
                "procurement:staff_clarifications", pk=self.clarification.opportunity_id
            )
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"published_question": self.clarification.question}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            clarification=self.clarification,
            opportunity=self.clarification.opportunity,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.clarification_publish(
                clarification=self.clarification,
                user=self.request.user,
                published_question=form.cleaned_data["published_question"],
                answer=form.cleaned_data["answer"],
            )
        except services.ClarificationRefused as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            "The answer is published on the opportunity’s page. The person who asked and "
            "everyone who has started a bid are being emailed.",
        )
        return redirect("procurement:staff_clarifications", pk=self.clarification.opportunity_id)
