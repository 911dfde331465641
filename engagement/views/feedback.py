"""Feedback: providers give it online; officers record what they hear and read it all."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView

from engagement.forms.feedback import FeedbackFilterForm, FeedbackGiveForm, FeedbackRecordForm
from engagement.selectors import feedback as selectors
from engagement.services import feedback as services
from engagement.views.events import EngagementPermissionMixin


class FeedbackGiveView(EngagementPermissionMixin, FormView):
    """A provider user tells the council what they think, about a commission or in general."""

    permission_required = "engagement.give_feedback"
    template_name = "engagement/feedback_give.html"
    form_class = FeedbackGiveForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        kwargs["given"] = selectors.feedback_given_by_user(user=self.request.user)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.feedback_give(
                submitted_by=self.request.user,
                summary=data["summary"],
                text=data["text"],
                commission=data.get("commission"),
                organisation=data.get("organisation"),
                priorities=data["priorities"],
                areas=data["areas"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, "Thank you. Your feedback has been sent to the commissioning team."
        )
        return redirect("engagement:feedback_give")


class StaffFeedbackListView(EngagementPermissionMixin, ListView):
    """All feedback, latest first, filtered by commission, source or priority."""

    permission_required = "engagement.view_records"
    template_name = "engagement/feedback_list.html"
    context_object_name = "feedback_list"
    paginate_by = 50

    @cached_property
    def filter_form(self) -> FeedbackFilterForm:
        chosen = any(self.request.GET.get(name) for name in FeedbackFilterForm.base_fields)
        return FeedbackFilterForm(self.request.GET if chosen else None)

    def get_queryset(self):
        return selectors.feedback_staff_list(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["is_filtered"] = self.filter_form.is_bound
        context["can_manage"] = self.request.user.has_perm("engagement.manage")
        return context


class FeedbackRecordView(EngagementPermissionMixin, FormView):
    """An officer records feedback from an individual, a community or a provider."""

    permission_required = "engagement.manage"
    template_name = "engagement/feedback_record.html"
    form_class = FeedbackRecordForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.feedback_record(
                recorded_by=self.request.user,
                source=data["source"],
                given_by=data["given_by"],
                organisation=data["organisation"],
                received_on=data["received_on"],
                event=data["event"],
                commission=data["commission"],
                summary=data["summary"],
                text=data["text"],
                priorities=data["priorities"],
                areas=data["areas"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "The feedback has been saved")
        return redirect("engagement:staff_feedback")
