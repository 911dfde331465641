"""Eligibility: an officer sets an opportunity's yes/no questions; a provider answers them
on a one-page check that says plainly whether their organisation can apply."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView

from core.forms import submitted_id
from procurement.forms.eligibility import EligibilityCheckForm, EligibilityRequirementForm
from procurement.models import Opportunity
from procurement.selectors import eligibility as selectors
from procurement.selectors.bids import organisations_for_user
from procurement.services import eligibility as services
from procurement.views.opportunities import ManageOpportunitiesMixin, StaffOpportunityMixin
from providers.selectors import current_organisation_get


class EligibilityRequirementView(StaffOpportunityMixin, ManageOpportunitiesMixin, FormView):
    """The officer turns the opportunity's eligibility into yes/no questions; it starts
    from what the opportunity's eligibility text and commission say."""

    form_class = EligibilityRequirementForm
    template_name = "procurement/eligibility_requirement.html"

    def get_initial(self):
        return selectors.eligibility_requirement_initial(opportunity=self.opportunity)

    def form_valid(self, form):
        services.eligibility_requirement_set(
            opportunity=self.opportunity, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Eligibility questions saved")
        return redirect("procurement:staff_opportunity_detail", pk=self.opportunity.pk)


class EligibilityCheckView(LoginRequiredMixin, FormView):
    """The one-page check: the opportunity's questions for one of the person's
    organisations (the one named by `?organisation=`, else the one they work for), the
    answers suggested by its profile, and the result of its latest answers."""

    form_class = EligibilityCheckForm
    template_name = "procurement/eligibility_check.html"

    @cached_property
    def opportunity(self) -> Opportunity:
        return get_object_or_404(Opportunity.objects.published(), slug=self.kwargs["slug"])

    @cached_property
    def organisations(self) -> list:
        return list(organisations_for_user(user=self.request.user))

    @cached_property
    def organisation(self):
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        chosen = submitted_id(source, "organisation", optional=True)
        if chosen is not None:
            for organisation in self.organisations:
                if organisation.pk == chosen:
                    return organisation
            raise Http404("Not one of your organisations")
        return current_organisation_get(self.request)

    @cached_property
    def requirement(self):
        return selectors.eligibility_requirement_get(opportunity=self.opportunity)

    @cached_property
    def questions(self):
        return selectors.eligibility_questions(requirement=self.requirement)

    @cached_property
    def check(self):
        if self.organisation is None:
            return None
        return selectors.eligibility_check_get(
            opportunity=self.opportunity, organisation=self.organisation
        )

    def post(self, request, *args, **kwargs):
        if self.organisation is None or not self.questions:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "questions": self.questions}

    def get_initial(self):
        if self.organisation is None:
            return {}
        if self.check is not None:
            return {key: "yes" if value else "no" for key, value in self.check.answers.items()}
        return selectors.eligibility_answers_suggested(
            questions=self.questions, requirement=self.requirement, organisation=self.organisation
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            opportunity=self.opportunity,
            organisation=self.organisation,
            organisations=self.organisations,
            questions=self.questions,
            check=self.check,
            reasons=selectors.eligibility_reasons(
                questions=self.questions, answers=self.check.answers
            )
            if self.check
            else [],
            is_open=self.opportunity.is_open(),
            **kwargs,
        )

    def form_valid(self, form):
        check = services.eligibility_check_record(
            opportunity=self.opportunity,
            organisation=self.organisation,
            answers=form.answers(),
            by=self.request.user,
        )
        if check.passed:
            messages.success(self.request, f"{self.organisation.name} can apply")
        url = reverse("procurement:eligibility_check", kwargs={"slug": self.opportunity.slug})
        return redirect(f"{url}?organisation={self.organisation.pk}")
