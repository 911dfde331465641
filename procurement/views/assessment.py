"""The panel. Officers form it, assign the bids received and deal with declared conflicts;
panel members declare their interests, then score the bids assigned to them.

Who may do what (procurement/rules.py): `procurement.manage_assessment` for the officer's
pages; a panel member's pages need the Panel member role (403 otherwise), and an assignment
or panel place that is not theirs is 404. A panel member reads no bid before declaring
their interests, and never a bid a declared conflict took away from them (403).
"""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from core.forms import form_errors_add, submitted_id
from core.mixins import StaffRequiredMixin
from procurement.forms.assessment import (
    AssignmentConflictForm,
    AssignmentsForm,
    ConflictResolveForm,
    DeclarationForm,
    PanelMemberAddForm,
    ScoreForm,
    ScoreSubmitForm,
    score_form_initial,
)
from procurement.models import Assignment, Opportunity, PanelMember
from procurement.selectors import assessment as selectors
from procurement.selectors import bids as bid_selectors
from procurement.services import assessment as services

# --- Officers ------------------------------------------------------------------------------------


class ManagesAssessmentMixin(StaffRequiredMixin):
    """Commissioning officers and administrators; anyone else signed in gets 403."""

    permission_required = "procurement.manage_assessment"


class PanelView(ManagesAssessmentMixin, TemplateView):
    """The opportunity's panel: its members and whether they have declared their interests,
    adding and removing members, the conflicts waiting to be dealt with, and — once bidding
    has closed — which panel members assess which bids."""

    template_name = "procurement/assessment/panel.html"
    paginate_by = 50

    @cached_property
    def opportunity(self) -> Opportunity:
        return get_object_or_404(selectors.opportunities_for_panel(), pk=self.kwargs["pk"])

    @cached_property
    def members(self) -> list[PanelMember]:
        return list(selectors.panel_members(opportunity=self.opportunity))

    @cached_property
    def closed(self) -> bool:
        return self.opportunity.has_closed()

    @cached_property
    def page(self) -> Page | None:
        """The page of bids received the grid shows (`paginate_by` to a page); 404 for a
        page number past the end or not a number. None before the deadline."""
        if not self.closed:
            return None
        paginator = Paginator(
            selectors.bids_for_assessment(opportunity=self.opportunity), self.paginate_by
        )
        paginator.count = self.opportunity.bids_received_count  # counted with the opportunity
        try:
            return paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404("No such page of bids") from error

    @cached_property
    def grid(self) -> list[selectors.GridRow]:
        if self.page is None:
            return []
        return selectors.assignment_grid(
            opportunity=self.opportunity, bids=list(self.page.object_list), members=self.members
        )

    def page_url(self) -> str:
        """The panel page showing the same page of bids."""
        url = reverse("procurement:panel", kwargs={"pk": self.opportunity.pk})
        number = self.page.number if self.page is not None else 1
        return f"{url}?page={number}" if number > 1 else url

    def add_form(self, data=None) -> PanelMemberAddForm:
        return PanelMemberAddForm(
            data, candidates=selectors.panel_candidates(opportunity=self.opportunity)
        )

    def assign_form(self, data=None) -> AssignmentsForm | None:
        if not self.closed:
            return None
        assigned = [cell.field_value for row in self.grid for cell in row.cells if cell.checked]
        return AssignmentsForm(data, grid=self.grid, initial={"assign": assigned})

    def get_context_data(self, **kwargs):
        kwargs.setdefault("add_form", self.add_form())
        kwargs.setdefault("assign_form", self.assign_form())
        forms = [kwargs["add_form"], kwargs["assign_form"]]
        return super().get_context_data(
            opportunity=self.opportunity,
            members=self.members,
            closed=self.closed,
            grid=self.grid,
            conflicts=list(selectors.conflicts_unresolved(opportunity=self.opportunity)),
            has_errors=any(form is not None and form.errors for form in forms),
            page_obj=self.page,
            paginator=self.page.paginator if self.page is not None else None,
            is_paginated=self.page is not None and self.page.has_other_pages(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "add":
            return self._add()
        if action == "remove":
            return self._remove()
        if action == "assign":
            return self._assign()
        return redirect("procurement:panel", pk=self.opportunity.pk)

    def _add(self):
        form = self.add_form(self.request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(add_form=form))
        try:
            place = services.panel_member_add(
                opportunity=self.opportunity,
                user=form.cleaned_data["user"],
                added_by=self.request.user,
            )
        except services.AssessmentError as error:
            form.add_error("user", str(error))
            return self.render_to_response(self.get_context_data(add_form=form))
        messages.success(self.request, f"{place.user.get_full_name()} added to the panel")
        return redirect("procurement:panel", pk=self.opportunity.pk)

    def _remove(self):
        place = get_object_or_404(
            self.opportunity.panel_members.select_related("user"),
            pk=submitted_id(self.request.POST, "panel_member"),
        )
        try:
            services.panel_member_remove(panel_member=place)
        except services.AssessmentError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, f"{place.user.get_full_name()} removed from the panel")
        return redirect("procurement:panel", pk=self.opportunity.pk)

    def _assign(self):
        if not self.closed:
            messages.error(
                self.request,
                "Bids can be assigned once the opportunity has closed. Nothing has been changed.",
            )
            return redirect("procurement:panel", pk=self.opportunity.pk)
        form = self.assign_form(self.request.POST)
        if form.is_valid():
            try:
                added, removed = services.assignments_set(
                    opportunity=self.opportunity,
                    wanted=form.wanted(),
                    assigned_by=self.request.user,
                    bid_ids={row.bid.pk for row in self.grid},
                )
            except services.AssessmentError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(self.request, _assignments_message(added, removed))
                return redirect(self.page_url())
        return self.render_to_response(self.get_context_data(assign_form=form))


def _assignments_message(added: int, removed: int) -> str:
    if not added and not removed:
        return "Assignments saved. Nothing was changed"
    parts = []
    if added:
        parts.append(f"{added} assignment{'s' if added != 1 else ''} added")
    if removed:
        parts.append(f"{removed} assignment{'s' if removed != 1 else ''} removed")
    return "Assignments saved: " + " and ".join(parts)


class ConflictResolveView(ManagesAssessmentMixin, FormView):
    """A bid a declared conflict took away: give it to another panel member, or record why
    no one else is needed while someone else is still assessing it."""

    form_class = ConflictResolveForm
    template_name = "procurement/assessment/conflict_resolve.html"

    @cached_property
    def assignment(self) -> Assignment:
        try:
            return selectors.assignment_unresolved_get(pk=self.kwargs["pk"])
        except Assignment.DoesNotExist as error:
            raise Http404("No conflict to resolve") from error

    @cached_property
    def candidates(self) -> list[PanelMember]:
        return selectors.reassign_candidates(assignment=self.assignment)

    @cached_property
    def others(self) -> list[Assignment]:
        return list(
            Assignment.objects.filter(bid=self.assignment.bid, conflict__isnull=True)
            .select_related("panel_member__user")
            .order_by("panel_member__user__full_name")
        )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "assignment": self.assignment,
            "candidates": self.candidates,
            "others_assessing": bool(self.others),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assignment=self.assignment,
            opportunity=self.assignment.bid.opportunity,
            declaration=self.assignment.conflict,
            others=self.others,
            candidates=self.candidates,
            **kwargs,
        )

    def form_valid(self, form):
        assignment = self.assignment
        reassign_to = form.reassign_to()
        try:
            services.conflict_resolve(
                assignment=assignment,
                resolved_by=self.request.user,
                reassign_to=reassign_to,
                reason=form.cleaned_data.get("reason", ""),
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if reassign_to is not None:
            message = f"{assignment.bid.reference} reassigned to {reassign_to.user.get_full_name()}"
        else:
            message = (
                "Conflict recorded as dealt with: no one else is needed for "
                f"{assignment.bid.reference}"
            )
        messages.success(self.request, message)
        return redirect("procurement:panel", pk=assignment.bid.opportunity_id)


# --- Panel members -------------------------------------------------------------------------------


class PanelMemberRequiredMixin(StaffRequiredMixin):
    """People in the Panel member role; anyone else signed in gets 403."""

    permission_required = "procurement.assess_bids"


class MyAssessmentsView(PanelMemberRequiredMixin, TemplateView):
    """Every panel the person is on: whether they have declared their interests, the bids
    assigned to them and how far they have got, and bids a declared conflict took away."""

    template_name = "procurement/assessment/my_assessments.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            places=selectors.assessments_for_user(user=self.request.user), **kwargs
        )


class DeclarationView(PanelMemberRequiredMixin, FormView):
    """Declare, for every organisation that bid (leads and consortium partners), whether the
    panel member has a conflict of interest — once, after bidding closes. Afterwards the page
    shows what they declared, by whom and when."""

    form_class = DeclarationForm
    template_name = "procurement/assessment/declare.html"

    @cached_property
    def place(self) -> PanelMember:
        try:
            place = selectors.panel_place_get(
                opportunity_pk=self.kwargs["pk"], user=self.request.user
            )
        except PanelMember.DoesNotExist as error:
            raise Http404("You are not on this panel") from error
        if not rules.has_perm("procurement.declare_interests", self.request.user, place):
            raise PermissionDenied
        return place

    @cached_property
    def organisations(self):
        if not self.place.opportunity.has_closed():
            return []
        return selectors.declaration_organisations(opportunity=self.place.opportunity)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def get_context_data(self, **kwargs):
        place = self.place
        opportunity = place.opportunity
        can_declare = opportunity.has_closed() and not place.has_declared
        if not can_declare:
            kwargs["form"] = None
        return super().get_context_data(
            place=place,
            opportunity=opportunity,
            closed=opportunity.has_closed(),
            organisations=self.organisations,
            declarations=list(selectors.declarations_for(panel_member=place))
            if place.has_declared
            else [],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        place = self.place
        if place.has_declared:
            messages.error(
                request,
                "You have already declared your interests for this opportunity. "
                "Nothing has been changed.",
            )
            return redirect("procurement:declare_interests", pk=place.opportunity_id)
        if not place.opportunity.has_closed():
            return redirect("procurement:declare_interests", pk=place.opportunity_id)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            declarations = services.declarations_record(
                panel_member=self.place,
                declarations=form.declarations(),
                declared_by=self.request.user,
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        conflicts = sum(1 for declaration in declarations if declaration.has_conflict)
        message = "Your declarations have been recorded"
        if conflicts:
            message += (
                ". The bids of the organisations you have a conflict with are no longer "
                "yours to assess, and the commissioning officer has been told"
            )
        messages.success(self.request, message)
        return redirect("procurement:my_assessments")


class AssignmentMixin(PanelMemberRequiredMixin):
    """One of the person's assignments. Someone else's is 404; one a declared conflict took
    away is 403, with a page that says why; before they declare their interests they are
    sent to do so."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.has_permission():
            return self.handle_no_permission()
        try:
            self.assignment = selectors.assignment_get(pk=kwargs["pk"])
        except Assignment.DoesNotExist as error:
            raise Http404("No such assignment") from error
        if self.assignment.panel_member.user_id != request.user.pk:
            raise Http404("No such assignment")
        if self.assignment.is_conflicted:
            return TemplateResponse(
                request,
                "procurement/assessment/assignment_removed.html",
                {"assignment": self.assignment},
                status=403,
            )
        if not self.assignment.panel_member.has_declared:
            messages.info(request, "Declare your interests before you read any bid")
            return redirect(
                "procurement:declare_interests", pk=self.assignment.panel_member.opportunity_id
            )
        if not rules.has_perm("procurement.score_assignment", request.user, self.assignment):
            raise PermissionDenied("Bids are sealed until the deadline")
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def bid(self):
        return self.assignment.bid

    @cached_property
    def questions(self):
        return bid_selectors.bid_questions(bid=self.bid)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assignment=self.assignment, bid=self.bid, opportunity=self.bid.opportunity, **kwargs
        )


class ScoreView(AssignmentMixin, FormView):
    """Read the bid and score it: for each question a score from 0 to 5 against the
    descriptors and a comment. Saved as often as needed; read-only once sent. After sending,
    the other panel members' sent scores for the bid are shown too."""

    form_class = ScoreForm
    template_name = "procurement/assessment/score.html"

    @cached_property
    def descriptors(self):
        return selectors.score_descriptors()

    @cached_property
    def scores(self):
        return selectors.assignment_scores(assignment=self.assignment)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "questions": self.questions,
            "descriptors": self.descriptors,
        }

    def get_initial(self):
        return score_form_initial(questions=self.questions, scores=self.scores)

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        submitted = self.assignment.is_submitted
        answers = bid_selectors.bid_answer_rows(bid=self.bid, questions=self.questions)
        form_rows = form.rows()
        items = [
            {
                "answer": answer,
                "score_field": score_field,
                "comment_field": comment_field,
                "saved": self.scores.get(answer.question.pk),
            }
            for answer, (_, _, score_field, comment_field) in zip(answers, form_rows, strict=True)
        ]
        others = selectors.other_submitted_scores(
            assignment=self.assignment, questions=self.questions
        )
        kwargs["form"] = None if submitted else form
        return super().get_context_data(
            items=items,
            descriptors=self.descriptors,
            partners=bid_selectors.bid_partners(bid=self.bid),
            attachments=bid_selectors.bid_attachments(bid=self.bid),
            budget=bid_selectors.bid_budget_summary(bid=self.bid),
            budget_lines=self.bid.budget_lines.all(),
            targets=bid_selectors.bid_target_measures(bid=self.bid),
            total=selectors.assignment_weighted_total(scores=self.scores, questions=self.questions),
            scored_count=len(self.scores),
            others=others,
            comparison=[
                {
                    "number": number,
                    "question": question,
                    "mine": self.scores.get(question.pk),
                    "others": [other.scores.get(question.pk) for other in others],
                }
                for number, question in enumerate(self.questions, start=1)
            ]
            if others
            else [],
            submitted=submitted,
            has_errors=not submitted and bool(form.errors),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.assignment.is_submitted:
            messages.error(
                request, "You have sent your scores for this bid. They cannot be changed."
            )
            return redirect("procurement:assignment_score", pk=self.assignment.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.scores_save(assignment=self.assignment, scores=form.scores())
        except services.AssessmentError as error:
            messages.error(self.request, f"{error}. Nothing has been changed.")
            return redirect("procurement:assignment_score", pk=self.assignment.pk)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        if "send" in self.request.POST:
            return redirect("procurement:assignment_submit", pk=self.assignment.pk)
        messages.success(
            self.request,
            f"Your scores for {self.bid.reference} have been saved. You can come back to "
            "them at any time before you send them.",
        )
        return redirect("procurement:my_assessments")


class ScoreSubmitView(AssignmentMixin, FormView):
    """Check and send the scores: what is missing, or the button to send them. Once sent
    they cannot be changed."""

    form_class = ScoreSubmitForm
    template_name = "procurement/assessment/score_submit.html"

    @cached_property
    def missing(self) -> list[str]:
        return selectors.assignment_missing(assignment=self.assignment, questions=self.questions)

    def get(self, request, *args, **kwargs):
        if self.assignment.is_submitted:
            messages.info(request, f"You sent your scores for {self.bid.reference} already")
            return redirect("procurement:assignment_score", pk=self.assignment.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scores = selectors.assignment_scores(assignment=self.assignment)
        return super().get_context_data(
            missing=self.missing,
            rows=[
                {"number": number, "question": question, "score": scores.get(question.pk)}
                for number, question in enumerate(self.questions, start=1)
            ],
            total=selectors.assignment_weighted_total(scores=scores, questions=self.questions),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.assignment.is_submitted:
            messages.error(request, "You have sent your scores for this bid already")
            return redirect("procurement:assignment_score", pk=self.assignment.pk)
        if self.missing:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.scores_submit(assignment=self.assignment)
        except services.AssessmentError as error:
            messages.error(self.request, f"{error}. Your scores have not been sent.")
            return redirect("procurement:assignment_submit", pk=self.assignment.pk)
        messages.success(
            self.request,
            f"Your scores for {self.bid.reference} have been sent to the commissioning officer",
        )
        return redirect("procurement:assignment_score", pk=self.assignment.pk)


class AssignmentConflictView(AssignmentMixin, FormView):
    """Declare a conflict found while reading a bid: it leaves the panel member's
    assessments (scores kept but no longer counting) and the officer is told."""

    form_class = AssignmentConflictForm
    template_name = "procurement/assessment/assignment_conflict.html"

    @cached_property
    def organisations(self):
        return selectors.bid_organisations(bid=self.bid)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": self.organisations,
            "lead_id": self.bid.organisation_id,
        }

    def form_valid(self, form):
        organisation = form.chosen_organisation()
        try:
            services.assignment_conflict_declare(
                assignment=self.assignment,
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                declared_by=self.request.user,
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"You declared a conflict of interest with {organisation.name}. "
            f"{self.bid.reference} has been removed from your assessments and the "
            "commissioning officer has been told.",
        )
        return redirect("procurement:my_assessments")
