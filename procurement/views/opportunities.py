"""Opportunities: the public list, page, documents and feed; the officers' pages to make,
question, document and publish them.

Everyone reads published opportunities; an unpublished one is 404 to everyone but the
officers who manage opportunities (who see a preview). Bids are sealed until the deadline:
staff pages show how many have been received, never what they say.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from commissioning.models import Commission, Specification
from core.csv_export import csv_response
from core.forms import TransitionForm, form_errors_add, submitted_id
from core.mixins import FilterQueryMixin, ObjectPermissionRequiredMixin, StaffRequiredMixin
from core.rules import is_provider_user
from core.transition_views import TransitionConfirmView
from core.transitions import (
    checklist_problems,
    transition_actions_for,
    transition_checklist,
    transition_from_state,
    transition_spec_get,
)
from core.uploads import file_type_for_name
from procurement.feeds import OpportunityFeed
from procurement.forms.opportunities import (
    OpportunityDocumentForm,
    OpportunityFilterForm,
    OpportunityForm,
    OpportunityPublishForm,
    QuestionFormSet,
    question_initial,
)
from procurement.models import Opportunity, OpportunityDocument, OpportunityState, Question
from procurement.selectors import opportunities as selectors
from procurement.services import opportunities as services

MANAGE = "procurement.manage_opportunities"

__all__ = ["OpportunityFeed"]  # the feed is routed from this module with the other pages


# --- Everyone --------------------------------------------------------------------------------


class OpportunityListView(TemplateView):
    """Published opportunities: open, then upcoming, then closed, 25 to a page (the list
    grows with every opportunity ever published); filtered by sector and Corporate
    Priority in the query string, so a filtered list can be shared, and downloaded as a
    CSV file."""

    template_name = "procurement/opportunity_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        form = OpportunityFilterForm(self.request.GET or None)
        filters = _filters(form)
        now = timezone.now()
        paginator = Paginator(
            selectors.opportunities_public_paged(**filters, now=now), self.paginate_by
        )
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        filter_query = query.urlencode()
        csv_url = reverse("procurement:opportunity_csv")
        entries = selectors.opportunity_entries(opportunities=page.object_list, now=now)
        return super().get_context_data(
            form=form,
            filtered=bool(filters["sector"] or filters["priority"]),
            opportunities=selectors.PublicOpportunities(
                open=[entry for entry in entries if entry.status == selectors.Status.OPEN],
                upcoming=[entry for entry in entries if entry.status == selectors.Status.UPCOMING],
                closed=[entry for entry in entries if entry.status == selectors.Status.CLOSED],
                total=paginator.count,
            ),
            paginator=paginator,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            filter_query=filter_query,
            csv_url=f"{csv_url}?{filter_query}" if filter_query else csv_url,
            **kwargs,
        )


def _filters(form: OpportunityFilterForm) -> dict:
    """The selector's filters; a filter not valid (an unknown slug) is ignored."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return {"sector": data.get("sector"), "priority": data.get("priority")}


class OpportunityCsvView(View):
    """The opportunities the filters in the query string select, open, upcoming and closed
    (every page), as a CSV file."""

    def get(self, request):
        public = selectors.opportunities_public_list(
            **_filters(OpportunityFilterForm(request.GET or None))
        )
        stamp = timezone.localdate().isoformat()
        return csv_response(
            filename=f"funding-opportunities-{stamp}.csv",
            header=selectors.OPPORTUNITY_CSV_HEADER,
            rows=selectors.opportunities_csv_rows(
                public=public, base_url=f"{request.scheme}://{request.get_host()}"
            ),
        )


class PublicOpportunityMixin:
    """The opportunity named by the URL's slug: published, or a preview for the officers
    who manage opportunities; 404 for anyone else."""

    @cached_property
    def can_manage(self) -> bool:
        return self.request.user.has_perm(MANAGE)

    @cached_property
    def opportunity(self) -> Opportunity:
        try:
            return selectors.opportunity_public_get(
                slug=self.kwargs["slug"], include_unpublished=self.can_manage
            )
        except Opportunity.DoesNotExist as error:
            raise Http404("No such opportunity") from error


class OpportunityDetailView(PublicOpportunityMixin, TemplateView):
    """Everything a bidder needs: the money, the dates, the outcomes and measures, the
    questions and how they are weighted, documents, workshops and published answers."""

    template_name = "procurement/opportunity_detail.html"

    def get_context_data(self, **kwargs):
        page = selectors.opportunity_page(opportunity=self.opportunity)
        is_provider = is_provider_user.test(self.request.user)
        return super().get_context_data(
            page=page,
            opportunity=page.opportunity,
            is_preview=not page.opportunity.is_published,
            can_ask=is_provider and page.takes_questions,
            can_bid=is_provider and page.is_open,
            can_manage=self.can_manage,
            **kwargs,
        )


class OpportunityDocumentView(PublicOpportunityMixin, View):
    """A document for bidders, as a download named from its title. Files are never served
    from a media URL: only through this check."""

    def get(self, request, slug: str, pk: int):
        try:
            document = selectors.opportunity_document_get(opportunity=self.opportunity, pk=pk)
        except OpportunityDocument.DoesNotExist as error:
            raise Http404 from error
        file_type = file_type_for_name(document.file.name) if document.file else None
        if file_type is None:
            raise Http404
        try:
            handle = document.file.open("rb")
        except OSError as error:
            raise Http404 from error
        filename = f"{slugify(document.title)[:80] or 'document'}{file_type.extension}"
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=file_type.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- Council staff ---------------------------------------------------------------------------


class StaffOpportunityListView(StaffRequiredMixin, FilterQueryMixin, ListView):
    """Every opportunity with its state, questions waiting for an answer and bids received,
    newest first, 50 to a page."""

    template_name = "procurement/staff_opportunity_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.opportunities_staff_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(can_manage=self.request.user.has_perm(MANAGE), **kwargs)
        context["entries"] = selectors.opportunity_entries(opportunities=context["object_list"])
        return context


class ManageOpportunitiesMixin(ObjectPermissionRequiredMixin):
    permission_required = MANAGE

    def get_permission_object(self):
        return None


class StaffOpportunityMixin:
    """The opportunity named by the URL's pk, for council staff."""

    @cached_property
    def opportunity(self) -> Opportunity:
        try:
            return selectors.opportunity_staff_get(pk=self.kwargs["pk"])
        except Opportunity.DoesNotExist as error:
            raise Http404("No such opportunity") from error

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            opportunity=self.opportunity,
            commission=self.opportunity.specification.commission,
            **kwargs,
        )


class OpportunityCreateView(ManageOpportunitiesMixin, FormView):
    """Choose a specification in a published plan, then make an opportunity from it."""

    form_class = OpportunityForm
    template_name = "procurement/opportunity_form.html"

    @cached_property
    def specification(self) -> Specification | None:
        pk = submitted_id(self.request.GET, "specification", optional=True)
        if pk is None:
            return None
        try:
            return selectors.specification_for_opportunity_get(pk=pk)
        except Specification.DoesNotExist as error:
            raise Http404("No such specification") from error

    def chooser_url(self) -> str:
        return reverse("procurement:opportunity_create")

    def get(self, request, *args, **kwargs):
        if self.specification is None:
            return self.render_chooser()
        problem = selectors.opportunity_creation_problem(specification=self.specification)
        if problem:
            return self.refuse(services.OpportunityRefused(problem))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.specification is None:
            return redirect(self.chooser_url())
        return super().post(request, *args, **kwargs)

    def render_chooser(self):
        commission = None
        commission_pk = submitted_id(self.request.GET, "commission", optional=True)
        if commission_pk is not None:
            commission = Commission.objects.filter(pk=commission_pk).first()
        return self.response_class(
            request=self.request,
            template="procurement/staff_opportunity_choose.html",
            context={
                "specifications": selectors.specifications_for_opportunities(commission=commission),
                "commission": commission,
            },
        )

    def refuse(self, error: services.OpportunityRefused):
        for problem in error.problems:
            messages.error(self.request, problem)
        return redirect(self.chooser_url())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "specification": self.specification}

    def get_context_data(self, **kwargs):
        return super().get_context_data(specification=self.specification, **kwargs)

    def form_valid(self, form):
        try:
            opportunity = services.opportunity_create(
                specification=self.specification,
                created_by=self.request.user,
                **form.opportunity_data(),
            )
        except services.OpportunityRefused as error:
            return self.refuse(error)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Opportunity {opportunity.reference} created with a question for each criterion. "
            "Check the questions and their weights before you publish it.",
        )
        return redirect("procurement:staff_opportunity_detail", pk=opportunity.pk)


class StaffOpportunityDetailView(StaffOpportunityMixin, StaffRequiredMixin, TemplateView):
    """The opportunity for the council: what it still needs before it is published (or
    closed to bids), its questions, documents and clarifications, and how many bids have
    been received (sealed)."""

    template_name = "procurement/staff_opportunity_detail.html"

    def get_context_data(self, **kwargs):
        opportunity = self.opportunity
        user = self.request.user
        next_step = {
            OpportunityState.DRAFT: "publish",
            OpportunityState.PUBLISHED: "close",
        }.get(opportunity.state)
        return super().get_context_data(
            entry=selectors.OpportunityEntry(
                opportunity=opportunity,
                status=selectors.opportunity_status(opportunity=opportunity),
                deadline=selectors.opportunity_deadline_words(opportunity=opportunity),
            ),
            checklist=transition_checklist(instance=opportunity, name=next_step, user=user)
            if next_step
            else [],
            actions=transition_actions_for(instance=opportunity, user=user),
            total_weight=sum((question.weight for question in opportunity.questions.all()), 0),
            can_manage=user.has_perm(MANAGE),
            **kwargs,
        )


class OpportunityUpdateView(StaffOpportunityMixin, ManageOpportunitiesMixin, FormView):
    """Change the opportunity's details and link applicant workshops."""

    form_class = OpportunityForm
    template_name = "procurement/opportunity_form.html"

    def get_form_kwargs(self):
        opportunity = self.opportunity
        return {
            **super().get_form_kwargs(),
            "specification": opportunity.specification,
            "opportunity": opportunity,
            "workshops": selectors.workshop_choices(opportunity=opportunity),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(specification=self.opportunity.specification, **kwargs)

    def form_valid(self, form):
        try:
            services.opportunity_update(opportunity=self.opportunity, **form.opportunity_data())
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Opportunity saved")
        return redirect("procurement:staff_opportunity_detail", pk=self.opportunity.pk)


class OpportunityQuestionsView(StaffOpportunityMixin, ManageOpportunitiesMixin, FormView):
    """The bid questions: words, guidance, word limits and weights, which must add up to 100
    before publishing. Fixed once the opportunity is published."""

    form_class = QuestionFormSet
    template_name = "procurement/opportunity_questions.html"
    prefix = "questions"

    def get_initial(self):
        return [
            question_initial(question)
            for question in self.opportunity.questions.select_related(
                "criterion", "service_criterion"
            )
        ]

    def post(self, request, *args, **kwargs):
        if self.opportunity.is_published:
            messages.error(request, services.QuestionsLocked.message)
            return redirect("procurement:opportunity_questions", pk=self.opportunity.pk)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        formset = kwargs["form"]
        questions = list(
            self.opportunity.questions.select_related("criterion", "service_criterion")
        )
        total = sum((question.weight for question in questions), 0)
        return super().get_context_data(
            formset=formset,
            questions=questions,
            total_weight=total,
            weights_problem=selectors.weights_problem(total=total),
            **kwargs,
        )

    def form_valid(self, form):
        """Save what was typed, then add, remove or move a question when one of those buttons
        was pressed (and come back here to carry on)."""
        try:
            services.opportunity_questions_update(opportunity=self.opportunity, rows=form.rows())
            changed = self.question_change()
        except services.QuestionsLocked as error:
            messages.error(self.request, str(error))
            return redirect("procurement:opportunity_questions", pk=self.opportunity.pk)
        except ValidationError as error:
            form.forms[0].add_error(None, error.messages)
            return self.form_invalid(form)
        if changed:
            messages.success(self.request, changed)
            return redirect("procurement:opportunity_questions", pk=self.opportunity.pk)
        problem = selectors.weights_problem(total=form.total_weight())
        if problem:
            messages.success(
                self.request, f"Questions saved. {problem}: change them before you publish."
            )
            return redirect("procurement:opportunity_questions", pk=self.opportunity.pk)
        messages.success(self.request, "Questions saved. The weights add up to 100.")
        return redirect("procurement:staff_opportunity_detail", pk=self.opportunity.pk)

    def question_change(self) -> str:
        """Make the change a question's button asked for; what was done, or "" for none."""
        post, opportunity = self.request.POST, self.opportunity
        if "add" in post:
            services.opportunity_question_add(opportunity=opportunity)
            return "Question added at the end, weighted 0. Write it and give it a weight."
        for name, by, done in (("move_up", -1, "moved up"), ("move_down", 1, "moved down")):
            if name in post:
                question_id = submitted_id(post, name)
                try:
                    services.opportunity_question_move(
                        opportunity=opportunity, question_id=question_id, by=by
                    )
                except Question.DoesNotExist as error:
                    raise Http404("No such question") from error
                return f"Questions saved and the question {done}."
        if "remove" in post:
            try:
                services.opportunity_question_remove(
                    opportunity=opportunity, question_id=submitted_id(post, "remove")
                )
            except Question.DoesNotExist as error:
                raise Http404("No such question") from error
            return "Question removed. Check that the weights still add up to 100."
        return ""


class OpportunityDocumentsView(StaffOpportunityMixin, ManageOpportunitiesMixin, FormView):
    """Documents for bidders: upload one with a title, or remove one."""

    form_class = OpportunityDocumentForm
    template_name = "procurement/opportunity_documents.html"

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            document = self.opportunity.documents.filter(
                pk=submitted_id(request.POST, "remove")
            ).first()
            if document is None:
                raise Http404("No such document")
            services.opportunity_document_remove(document=document)
            messages.success(request, f"{document.title} has been removed")
            return redirect("procurement:opportunity_documents", pk=self.opportunity.pk)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(documents=self.opportunity.documents.all(), **kwargs)

    def form_valid(self, form):
        try:
            document = services.opportunity_document_add(
                opportunity=self.opportunity,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{document.title} has been uploaded")
        return redirect("procurement:opportunity_documents", pk=self.opportunity.pk)


class OpportunityTransitionView(
    StaffOpportunityMixin, ManageOpportunitiesMixin, TransitionConfirmView
):
    """Publish the opportunity, or close it to bids once its deadline has passed: what the
    action does, what it still needs (the machine's checklist, with who may publish), and
    the button once nothing is missing. The action is named by the URL."""

    template_name = "procurement/opportunity_action.html"
    record_name = "opportunity"
    reason_asked = False
    changed_message = services.OpportunityChanged.message
    shown_errors = (services.OpportunityChanged,)

    def get_object(self) -> Opportunity:
        return self.opportunity

    def get_form_class(self):
        return OpportunityPublishForm if self.kwargs["name"] == "publish" else TransitionForm

    def get_success_url(self) -> str:
        return reverse("procurement:staff_opportunity_detail", kwargs={"pk": self.opportunity.pk})

    def spec_find(self, name: str):
        """Declared out of the opportunity's state, whatever its conditions say: what is
        missing is listed on the page instead."""
        transition_spec_get(instance=self.opportunity, name=name)
        return transition_from_state(instance=self.opportunity, name=name)

    def check_permission(self) -> None:
        """Everyone here manages opportunities; who may publish this one (its commission's
        lead officer, while the plan is only approved) is on the checklist."""

    def unavailable_message(self) -> str:
        if self.kwargs["name"] == "publish":
            return "This opportunity has already been published"
        return super().unavailable_message()

    def prepare(self):
        refused = super().prepare()
        if refused:
            return refused
        self.checklist = transition_checklist(
            instance=self.opportunity, name=self.spec.name, user=self.request.user
        )
        self.problems = checklist_problems(self.checklist)
        return None

    def refuse_post(self):
        refused = super().refuse_post()
        if refused or not self.problems:
            return refused
        return self.render_to_response(self.get_context_data(refused=True))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("problems", self.problems)
        return super().get_context_data(
            checklist=self.checklist,
            moves_commission=self.spec.name == "publish"
            and self.opportunity.specification.commission.state == "approved",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.OpportunityRefused as error:
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems, refused=True)
            )

    def transition_make(self, *, name, user, reason, seen_state):
        return services.opportunity_transition(
            opportunity=self.opportunity,
            name=name,
            user=user,
            reason=reason,
            seen_state=seen_state or None,
        )

    def success_message(self, opportunity) -> str:
        if self.spec.name == "publish":
            return (
                f"{opportunity.reference} is published. "
                f"{selectors.opportunity_deadline_words(opportunity=opportunity)}."
            )
        return f"{opportunity.reference} is closed to bids"
