"""Bids: providers prepare and submit them; partners confirm; council staff see how many
there are until the deadline, and the bids themselves only after it.

Who may see a bid is `procurement.view_bid_content` (procurement/rules.py): members of the
lead organisation and of its consortium partners, and — once the deadline has passed —
officers, approvers and administrators, for bids that were received. Anyone else signed
in gets 404 (a provider never learns another organisation's bid exists) or, for council
staff while bids are sealed, 403.
"""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import form_errors_add, submitted_id
from core.mixins import StaffRequiredMixin, object_access_check
from core.templatetags.portal import govuk_datetime, money
from core.transition_views import TransitionConfirmView
from core.uploads import file_type_for_name
from procurement import rules as procurement_rules
from procurement.forms.bids import (
    AttachmentForm,
    BidForm,
    BidStartForm,
    BidTargetsForm,
    BidTransitionForm,
    BudgetFormSet,
    PartnerAddForm,
    PartnerSearchForm,
    PartnershipConfirmForm,
    bid_form_initial,
    bid_targets_initial,
    plain_number,
)
from procurement.models import Bid, BidState, ConsortiumPartner, Opportunity
from procurement.selectors import bids as selectors
from procurement.services import bids as services
from procurement.views.partner_finder import partner_finder_get

# --- Starting a bid, and the person's bids -------------------------------------------------------


class BidStartView(LoginRequiredMixin, FormView):
    """Start a bid for an open opportunity for one of the person's organisations; an
    organisation that has already started one goes to it."""

    form_class = BidStartForm
    template_name = "procurement/bid_start.html"

    @cached_property
    def opportunity(self) -> Opportunity:
        return get_object_or_404(
            Opportunity.objects.published().select_related("specification"),
            slug=self.kwargs["slug"],
        )

    @cached_property
    def organisations(self) -> list:
        return list(selectors.organisations_for_user(user=self.request.user))

    @cached_property
    def live_bids(self) -> dict:
        bids = Bid.objects.filter(
            opportunity=self.opportunity, organisation__in=self.organisations
        ).exclude(state=BidState.WITHDRAWN)
        return {bid.organisation_id: bid for bid in bids}

    def get(self, request, *args, **kwargs):
        if len(self.organisations) == 1 and self.organisations[0].pk in self.live_bids:
            return redirect(self.live_bids[self.organisations[0].pk])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.organisations or not self.opportunity.is_open():
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": self.organisations,
            "live_bids": self.live_bids,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            opportunity=self.opportunity,
            organisations=self.organisations,
            is_open=self.opportunity.is_open(),
            **kwargs,
        )

    def form_valid(self, form):
        organisation = form.cleaned_data["organisation"]
        try:
            bid, created = services.bid_start(
                opportunity=self.opportunity, organisation=organisation, user=self.request.user
            )
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.opportunity)
        if created:
            messages.success(self.request, f"Bid started for {organisation.name}: {bid.reference}")
        else:
            messages.info(
                self.request, f"{organisation.name} has already started a bid: {bid.reference}"
            )
        return redirect(bid)


#: What the list of a provider's bids shows of each, its opportunity, organisation and
#: decision: only these are read.
MY_BIDS_FIELDS = (
    "reference",
    "title",
    "state",
    "opportunity_id",
    "organisation_id",
    "opportunity__title",
    "opportunity__state",
    "opportunity__closes_at",
    "organisation__name",
    "decision__bid_id",
    "decision__outcome",
    "decision__amount",
    "decision__approved_at",
)


class MyBidsView(LoginRequiredMixin, ListView):
    """The bids of the person's organisations, and those they are partners in, 25 to a
    page (as the agreements and the decisions register)."""

    template_name = "procurement/my_bids.html"
    context_object_name = "bids"
    paginate_by = 25

    def get_queryset(self):
        return selectors.bids_for_user(user=self.request.user).only(*MY_BIDS_FIELDS)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            waiting_partnerships=selectors.partnerships_waiting_count(user=self.request.user),
            **kwargs,
        )


# --- One bid -------------------------------------------------------------------------------------


class BidMixin(LoginRequiredMixin):
    """Fetches the bid named in the URL and refuses anyone who may not see it: 404 for a
    provider with no part in it, 403 for council staff while it is sealed."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.bid = selectors.bid_get(pk=kwargs["pk"])
        except Bid.DoesNotExist as error:
            raise Http404("No such bid") from error
        # The rule itself, not user.has_perm: a superuser passes every has_perm, and bids
        # are sealed for everyone.
        object_access_check(
            allowed=procurement_rules.view_bid_content.test(request.user, self.bid),
            user=request.user,
            staff_message="Bids are sealed until the deadline",
            not_found="No such bid",
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_act(self) -> bool:
        """A member of the lead organisation."""
        return procurement_rules.act_for_bid.test(self.request.user, self.bid)

    def get_context_data(self, **kwargs):
        return super().get_context_data(bid=self.bid, can_act=self.can_act, **kwargs)


class EditsBidMixin(BidMixin):
    """Pages that change the bid: the lead organisation's members, while it is a draft
    before the deadline. Anyone else who may see the bid gets 403."""

    def get(self, request, *args, **kwargs):
        return self._guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._guard() or super().post(request, *args, **kwargs)

    def _guard(self):
        if not self.can_act:
            raise PermissionDenied("Only the lead organisation can change the bid")
        if not selectors.bid_is_editable(bid=self.bid):
            return self.locked(self._locked_message())
        return None

    def _locked_message(self) -> str:
        if self.bid.state == BidState.SUBMITTED:
            return "This bid has been submitted. Reopen it to make changes before the deadline."
        if self.bid.state == BidState.WITHDRAWN:
            return "This bid has been withdrawn and cannot be changed."
        if self.bid.opportunity.has_closed():
            return "The deadline for this opportunity has passed. The bid cannot be changed."
        return "This opportunity is not open for bids yet."

    def locked(self, message: str):
        messages.error(self.request, message)
        return redirect(self.bid)


class BidDetailView(BidMixin, TemplateView):
    """The bid page: a task list for the lead organisation while it is a draft; otherwise
    the bid as it stands, read-only, with its receipts and lifecycle actions."""

    template_name = "procurement/bid_detail.html"

    def get_context_data(self, **kwargs):
        bid = self.bid
        answers = selectors.bid_answer_rows(bid=bid)
        budget = selectors.bid_budget_summary(bid=bid)
        targets = selectors.bid_target_measures(bid=bid)
        editable = self.can_act and selectors.bid_is_editable(bid=bid)
        actions = selectors.bid_actions_for(bid=bid, user=self.request.user)
        return super().get_context_data(
            answers=answers,
            budget=budget,
            budget_lines=bid.budget_lines.all(),
            targets=targets,
            partners=selectors.bid_partners(bid=bid),
            attachments=selectors.bid_attachments(bid=bid),
            submissions=selectors.bid_submissions(bid=bid) if self.can_act else [],
            editable=editable,
            task_groups=selectors.bid_task_groups(
                bid=bid, answers=answers, budget=budget, targets=targets
            )
            if editable
            else [],
            # In a draft, submitting is the task list's last task, not a button.
            actions=[a for a in actions if not (editable and a.name == "submit")],
            is_partner=not self.can_act
            and bid.partners.filter(organisation__memberships__user=self.request.user).exists(),
            **kwargs,
        )


class BidEditView(EditsBidMixin, FormView):
    form_class = BidForm
    template_name = "procurement/bid_form.html"

    @cached_property
    def questions(self):
        return selectors.bid_questions(bid=self.bid)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bid": self.bid, "questions": self.questions}

    def get_initial(self):
        answers = selectors.bid_answer_rows(bid=self.bid, questions=self.questions)
        return bid_form_initial(bid=self.bid, answers=answers)

    def form_valid(self, form):
        try:
            services.bid_update(bid=self.bid, **form.bid_fields())
        except services.BidLocked as error:
            return self.locked(str(error))
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your draft has been saved")
        return redirect(self.bid)


class BidBudgetView(EditsBidMixin, FormView):
    """The budget breakdown as rows (item, amount), with blank rows to add more."""

    form_class = BudgetFormSet
    template_name = "procurement/bid_budget.html"
    prefix = "lines"

    def get_initial(self):
        return [
            {"id": line.pk, "item": line.item, "amount": plain_number(line.amount)}
            for line in self.bid.budget_lines.all()
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(
            formset=kwargs["form"], budget=selectors.bid_budget_summary(bid=self.bid), **kwargs
        )

    def form_valid(self, form):
        try:
            services.bid_budget_set(bid=self.bid, lines=form.rows())
        except services.BidLocked as error:
            return self.locked(str(error))
        budget = selectors.bid_budget_summary(bid=self.bid)
        if budget.has_lines and not budget.matches:
            asked = money(budget.amount_requested) or "which you have not entered yet"
            messages.success(
                self.request,
                f"Budget saved. Its total, {money(budget.total)}, is not the same as the "
                f"amount you are asking for, {asked}.",
            )
        else:
            messages.success(self.request, "Budget saved")
        return redirect(self.bid)


class BidTargetsView(EditsBidMixin, FormView):
    """What the bid will achieve against each success measure of the specification, each
    year, with the council's target for the whole service beside each one."""

    form_class = BidTargetsForm
    template_name = "procurement/bid_targets.html"

    @cached_property
    def measures(self) -> list[selectors.MeasureTargets]:
        return selectors.bid_target_measures(bid=self.bid)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "measures": self.measures}

    def get_initial(self):
        return bid_targets_initial(measures=self.measures)

    def form_valid(self, form):
        try:
            services.bid_targets_set(bid=self.bid, targets=form.targets())
        except services.BidLocked as error:
            return self.locked(str(error))
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Targets saved")
        return redirect(self.bid)


class BidPartnersView(EditsBidMixin, FormView):
    """The consortium: partners named so far and whether they have confirmed; find a
    registered organisation and add it with its role; remove one."""

    form_class = PartnerAddForm
    template_name = "procurement/bid_partners.html"

    @cached_property
    def query(self) -> str:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        # No one types NUL; PostgreSQL refuses it in a query (500), so it is dropped.
        return (source.get("q") or "").replace("\x00", "").strip()[:100]

    @cached_property
    def results(self):
        return selectors.organisations_search(query=self.query, bid=self.bid)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "results": self.results}

    def get_initial(self):
        return {"q": self.query}

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            guard = self._guard()
            if guard:
                return guard
            partner = get_object_or_404(
                ConsortiumPartner, bid=self.bid, pk=submitted_id(request.POST, "remove")
            )
            try:
                services.bid_partner_remove(partner=partner)
            except services.BidLocked as error:
                return self.locked(str(error))
            messages.success(request, f"{partner.organisation.name} removed from the consortium")
            return redirect("procurement:bid_partners", pk=self.bid.pk)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partners=selectors.bid_partners(bid=self.bid),
            finder=partner_finder_get(request=self.request, bid=self.bid),
            search_form=PartnerSearchForm(initial={"q": self.query}),
            query=self.query,
            results=self.results,
            **kwargs,
        )

    def form_valid(self, form):
        organisation = form.cleaned_data["organisation"]
        try:
            services.bid_partner_add(
                bid=self.bid,
                organisation=organisation,
                role=form.cleaned_data["role"],
                added_by=self.request.user,
            )
        except services.BidLocked as error:
            return self.locked(str(error))
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{organisation.name} added. We have emailed its members to ask them to confirm.",
        )
        return redirect("procurement:bid_partners", pk=self.bid.pk)


class BidAttachmentsView(EditsBidMixin, FormView):
    """Upload files (checked by content) and remove them, while the bid is a draft."""

    form_class = AttachmentForm
    template_name = "procurement/bid_attachments.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bid": self.bid}

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            guard = self._guard()
            if guard:
                return guard
            attachment = get_object_or_404(
                self.bid.attachments, pk=submitted_id(request.POST, "remove")
            )
            try:
                services.bid_attachment_remove(attachment=attachment)
            except services.BidLocked as error:
                return self.locked(str(error))
            messages.success(request, f"{attachment.original_name} removed")
            return redirect("procurement:bid_attachments", pk=self.bid.pk)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            attachments=selectors.bid_attachments(bid=self.bid),
            total=selectors.bid_attachments_total(bid=self.bid),
            **kwargs,
        )

    def form_valid(self, form):
        uploaded = form.cleaned_data["file"]
        try:
            attachment = services.bid_attachment_add(
                bid=self.bid,
                file=uploaded,
                uploaded_by=self.request.user,
                original_name=getattr(uploaded, "original_name", ""),
            )
        except services.BidLocked as error:
            return self.locked(str(error))
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        messages.success(self.request, f"{attachment.original_name} uploaded")
        return redirect("procurement:bid_attachments", pk=self.bid.pk)


class BidAttachmentDownloadView(BidMixin, View):
    """A bid's file, only for those who may see the bid. Never served from a media URL."""

    def get(self, request, pk: int, attachment_pk: int):
        attachment = get_object_or_404(self.bid.attachments, pk=attachment_pk)
        file_type = file_type_for_name(attachment.file.name)
        if file_type is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except OSError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(attachment.original_name, file_type.extension),
            content_type=file_type.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def download_name(original: str, extension: str) -> str:
    """The name the file came with, made safe, ending in the extension of what it is."""
    from pathlib import PurePath

    from django.utils.text import get_valid_filename

    stem = PurePath(original).stem
    try:
        stem = get_valid_filename(stem)
    except Exception:  # noqa: BLE001 - a name of only dots and spaces
        stem = ""
    return f"{stem[:100] or 'attachment'}{extension}"


class BidTransitionView(BidMixin, TransitionConfirmView):
    """Confirm and make one lifecycle action: submit, reopen or withdraw. The deadline is
    checked here and again as it is made; a late submission changes nothing."""

    form_class = BidTransitionForm
    template_name = "procurement/bid_action.html"
    record_name = "bid"
    reason_asked = False
    changed_message = services.BidChanged.message
    shown_errors = (services.BidChanged, services.BidDeadlinePassed)

    def get_object(self) -> Bid:
        return self.bid

    def spec_find(self, name: str):
        """Declared out of the bid's state, whatever its conditions say: what is missing
        for submitting is listed on the page instead."""
        return selectors.bid_transition_declared(bid=self.bid, name=name)

    def check_access(self) -> None:
        if not self.can_act:
            raise PermissionDenied

    def prepare(self):
        refused = super().prepare()
        if refused:
            return refused
        bid = self.bid
        self.problems = selectors.bid_submit_problems(bid=bid) if self.spec.name == "submit" else []
        if self.spec.name != "submit" and bid.opportunity.has_closed():
            messages.error(
                self.request,
                f"The deadline for this opportunity was "
                f"{govuk_datetime(bid.opportunity.closes_at)}. Nothing has been changed.",
            )
            return redirect(bid)
        return None

    def refuse_post(self):
        refused = super().refuse_post()
        if refused or not self.problems:
            return refused
        if self.bid.opportunity.has_closed():
            messages.error(self.request, selectors.bid_deadline_message(bid=self.bid))
            return redirect(self.bid)
        return self.get(self.request, *self.args, **self.kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "name": self.spec.name,
            "organisation": self.bid.organisation,
        }

    def get_context_data(self, **kwargs):
        submit = self.spec.name == "submit"
        return super().get_context_data(
            problems=self.problems,
            answers=selectors.bid_answer_rows(bid=self.bid) if submit else [],
            budget=selectors.bid_budget_summary(bid=self.bid),
            budget_lines=self.bid.budget_lines.all(),
            targets=selectors.bid_target_measures(bid=self.bid) if submit else [],
            partners=selectors.bid_partners(bid=self.bid),
            attachments=selectors.bid_attachments(bid=self.bid),
            **kwargs,
        )

    def transition_make(self, *, name, user, reason, seen_state):
        return services.bid_transition(
            bid=self.bid, name=name, user=user, reason=reason, seen_state=seen_state
        )

    def transition_done(self, submission):
        if submission is not None:
            return redirect("procurement:bid_receipt", pk=self.bid.pk, number=submission.number)
        return super().transition_done(submission)

    def success_message(self, result) -> str:
        if self.spec.name == "reopen":
            return (
                "Your bid is a draft again. You must submit it again before "
                f"{govuk_datetime(self.bid.opportunity.closes_at)} or it will not be considered."
            )
        return f"Bid {self.bid.reference} withdrawn"


class BidReceiptView(BidMixin, TemplateView):
    """The receipt for one submitted version: for the lead organisation's members."""

    template_name = "procurement/bid_receipt.html"

    def get_context_data(self, **kwargs):
        if not self.can_act:
            raise PermissionDenied
        submission = get_object_or_404(
            selectors.bid_submissions(bid=self.bid), number=self.kwargs["number"]
        )
        return super().get_context_data(submission=submission, **kwargs)


# --- Partnerships: the partner's side ------------------------------------------------------------


class PartnershipListView(LoginRequiredMixin, ListView):
    """Bids the person's organisations are named in as consortium partners."""

    template_name = "procurement/partnership_list.html"
    context_object_name = "partnerships"

    def get_queryset(self):
        return selectors.partnerships_for_user(user=self.request.user)


class PartnershipConfirmView(LoginRequiredMixin, FormView):
    """A partner organisation's member confirms, from their own account."""

    form_class = PartnershipConfirmForm
    template_name = "procurement/partnership_confirm.html"

    @cached_property
    def partner(self) -> ConsortiumPartner:
        try:
            return selectors.partnership_for_user(pk=self.kwargs["pk"], user=self.request.user)
        except ConsortiumPartner.DoesNotExist as error:
            raise Http404("No such partnership") from error

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partner=self.partner,
            bid=self.partner.bid,
            can_confirm=self.partner.confirmed_at is None
            and self.partner.bid.state == BidState.DRAFT
            and self.partner.bid.opportunity.is_open(),
            **kwargs,
        )

    def form_valid(self, form):
        partner = self.partner
        try:
            services.partnership_confirm(partner=partner, user=self.request.user)
        except services.BidLocked as error:
            messages.error(self.request, f"{error} You can no longer confirm the partnership.")
            return redirect("procurement:partnership_list")
        messages.success(
            self.request,
            f"You have confirmed that {partner.organisation.name} is a partner in "
            f"{partner.bid.organisation.name}’s bid",
        )
        return redirect("procurement:partnership_list")


# --- Council staff: sealed until the deadline ----------------------------------------------------


class StaffBidsMixin(StaffRequiredMixin):
    """Officers, approvers and administrators; panel members come in with assessment."""

    permission_required = "procurement.view_bids_received"

    @cached_property
    def opportunity(self) -> Opportunity:
        return get_object_or_404(Opportunity, pk=self.kwargs["pk"])


class StaffBidListView(StaffBidsMixin, ListView):
    """How many bids have been received; after the deadline, the bids themselves, 50 to a
    page."""

    template_name = "procurement/staff_bids.html"
    context_object_name = "bids"
    paginate_by = 50

    @cached_property
    def closed(self) -> bool:
        return self.opportunity.has_closed()

    @cached_property
    def opportunity(self) -> Opportunity:
        return get_object_or_404(selectors.opportunities_with_bid_counts(), pk=self.kwargs["pk"])

    def get_queryset(self):
        if not self.closed:
            return Bid.objects.none()
        return selectors.bids_received(opportunity=self.opportunity)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if self.closed:
            paginator.count = self.opportunity.received_count  # counted with the opportunity
        return paginator

    def get_context_data(self, **kwargs):
        opportunity = self.opportunity
        return super().get_context_data(
            opportunity=opportunity,
            closed=self.closed,
            received=opportunity.received_count,
            withdrawn=opportunity.withdrawn_count,
            **kwargs,
        )


class StaffBidExportView(StaffBidsMixin, View):
    """The bids received, as a spreadsheet (CSV), once the deadline has passed."""

    def get(self, request, pk: int):
        opportunity = self.opportunity
        if not opportunity.has_closed():
            raise PermissionDenied("Bids are sealed until the deadline")
        questions = list(opportunity.questions.all())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        response["Content-Disposition"] = (
            f'attachment; filename="{opportunity.reference}-bids-{stamp}.csv"'
        )
        response["Cache-Control"] = "private, no-store"
        response.write("\ufeff")  # so spreadsheet programs read it as UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                "Reference",
                "Organisation",
                "Organisation identifier",
                "Project title",
                "Amount requested",
                "Match funding",
                "Budget total",
                "Submitted at",
                "Versions submitted",
                "Partners",
                "Attachments",
                *(f"Question {n}" for n in range(1, len(questions) + 1)),
            ]
        )
        for bid in selectors.bids_received_export(opportunity=opportunity):
            answers = {answer.question_id: answer.text for answer in bid.answers.all()}
            writer.writerow(
                [
                    _cell(value)
                    for value in [
                        bid.reference,
                        bid.organisation.name,
                        bid.organisation.org_id,
                        bid.title,
                        bid.amount_requested if bid.amount_requested is not None else "",
                        bid.match_funding if bid.match_funding is not None else "",
                        sum((line.amount for line in bid.budget_lines.all()), start=0),
                        timezone.localtime(bid.submitted_at).strftime("%Y-%m-%d %H:%M")
                        if bid.submitted_at
                        else "",
                        bid.submission_count,
                        "; ".join(
                            f"{partner.organisation.name} ({partner.role})"
                            for partner in bid.partners.all()
                        ),
                        bid.attachment_count,
                        *(answers.get(question.pk, "") for question in questions),
                    ]
                ]
            )
        return response


def _cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
