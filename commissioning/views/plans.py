"""Commissioning Plans: the public register, HTML and PDF, and the staff pages that draft,
approve, publish and version them."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views import View
from django.views.generic import FormView, TemplateView

from commissioning.forms.plans import PlanForm, PlanTransitionForm
from commissioning.models import CommissioningPlan, PlanState
from commissioning.selectors import plans as selectors
from commissioning.selectors.thread import plan_achievements_get
from commissioning.services import plans as services
from core.mixins import ObjectPermissionRequiredMixin
from core.transition_views import TransitionConfirmView

SPECIFICATIONS_PER_PAGE = 10


class SpecificationPagesMixin:
    """A plan page whose specifications are shown `paginate_by` to a page (a plan can hold
    sixty): the summary of investment still lists every one, each linking to the page
    it is on. A page number past the end, or not a number, is 404."""

    paginate_by = SPECIFICATIONS_PER_PAGE

    def specification_pages(self, document: selectors.PlanDocument) -> dict:
        per_page = self.paginate_by
        paginator = Paginator(document.specifications, per_page)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as exc:
            raise Http404("No such page of specifications") from exc
        links = {}
        for index, sheet in enumerate(document.specifications):
            number = index // per_page + 1
            on_this_page = number == page.number
            links[sheet.anchor] = f"{'' if on_this_page else f'?page={number}'}#{sheet.anchor}"
        return {
            "specification_page": page,
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
            "sheet_links": links,
        }


# --- Public -----------------------------------------------------------------------------------


class PublicPlanListView(TemplateView):
    """Published Commissioning Plans by sector and period, with the versions they replaced."""

    template_name = "commissioning/plan_public_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=selectors.plans_public_grouped(), **kwargs)


class PublicPlanDetailView(SpecificationPagesMixin, TemplateView):
    """A published or superseded plan. Drafts and plans awaiting approval or publication are
    not found here by anyone: staff read them at /staff/plans/<pk>/."""

    template_name = "commissioning/plan_public_detail.html"

    def get_context_data(self, **kwargs):
        try:
            plan = selectors.plan_public_outline_get(slug=self.kwargs["slug"])
        except CommissioningPlan.DoesNotExist as exc:
            raise Http404("No such plan") from exc
        # Every specification in the summary; only this page's in full, and only theirs in
        # what the plan achieved (below the plan's totals).
        document = selectors.plan_document_outline(plan=plan)
        pages = self.specification_pages(document)
        page = pages["specification_page"]
        page.object_list = selectors.plan_document_page(sheets=list(page.object_list))
        return super().get_context_data(
            plan=plan,
            document=document,
            current=selectors.plan_current_version_get(plan=plan),
            pdf_size=_stored_size(plan),
            achievements=plan_achievements_get(
                plan=plan, specifications=[sheet.specification for sheet in page.object_list]
            ),
            **pages,
            **kwargs,
        )


class PlanPdfView(View):
    """The stored PDF of a published or superseded plan, as a download.

    It is never rendered here: the task that runs when the plan is published makes it.
    Until the file exists the answer is 404 with a page saying it is being prepared.
    Sent as an attachment (the link says “Download”), so people open it in their own PDF
    reader, with the tags and settings their assistive technology relies on.
    """

    def get(self, request, slug: str):
        try:
            plan = selectors.plan_pdf_get(slug=slug)
        except CommissioningPlan.DoesNotExist as exc:
            raise Http404("No such plan") from exc
        storage = plan.pdf.storage
        if not plan.pdf or not storage.exists(plan.pdf.name):
            return render(
                request,
                "commissioning/plan_pdf_preparing.html",
                {"plan_url": reverse("plan_public_detail", kwargs={"slug": slug})},
                status=404,
            )
        modified = storage.get_modified_time(plan.pdf.name)
        last_modified = int(modified.timestamp())
        not_modified = get_conditional_response(request, last_modified=last_modified)
        if not_modified is not None:
            patch_cache_control(not_modified, public=True, max_age=3600)
            return not_modified
        response = FileResponse(
            plan.pdf.open("rb"),
            as_attachment=True,
            filename=f"{plan.slug}.pdf",
            content_type="application/pdf",
        )
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=3600)
        return response


def _stored_size(plan: CommissioningPlan) -> int | None:
    """The stored PDF's size in bytes, or None when it is not there (yet)."""
    if not plan.pdf:
        return None
    try:
        return plan.pdf.size
    except OSError:
        return None


# --- Staff ------------------------------------------------------------------------------------


class StaffPlanListView(ObjectPermissionRequiredMixin, TemplateView):
    """Every plan in every state, for council staff."""

    permission_required = "commissioning.view_plan_drafts"
    template_name = "commissioning/plan_staff_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plans=selectors.plans_staff_list(),
            can_author=self.request.user.has_perm("commissioning.author_plan"),
            **kwargs,
        )


class PlanCreateView(ObjectPermissionRequiredMixin, FormView):
    permission_required = "commissioning.author_plan"
    form_class = PlanForm
    template_name = "commissioning/plan_form.html"

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "specifications"}
        try:
            plan = services.plan_create(author=self.request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            "Draft plan created. Now choose the service specifications it includes.",
        )
        return redirect("plan_update", pk=plan.pk)


class PlanMixin:
    """Fetches the plan named in the URL (404 if there is none) for the rules."""

    def get_object(self) -> CommissioningPlan:
        if not hasattr(self, "_plan"):
            try:
                self._plan = selectors.plan_staff_get(pk=self.kwargs["pk"])
            except CommissioningPlan.DoesNotExist as exc:
                raise Http404("No such plan") from exc
        return self._plan

    def get_permission_object(self):
        return self.get_object()


class StaffPlanDetailView(
    PlanMixin, SpecificationPagesMixin, ObjectPermissionRequiredMixin, TemplateView
):
    """The plan page for staff: sections, specifications, completeness, actions, timeline."""

    permission_required = "commissioning.view_plan_drafts"
    template_name = "commissioning/plan_staff_detail.html"

    def get_context_data(self, **kwargs):
        plan = self.get_object()
        user = self.request.user
        # Every specification in the summary; only this page's in full.
        document = selectors.plan_document_outline(plan=plan)
        pages = self.specification_pages(document)
        page = pages["specification_page"]
        page.object_list = selectors.plan_document_page(sheets=list(page.object_list))
        checks, actions = selectors.plan_checks_and_actions(plan=plan, user=user)
        is_author = user.has_perm("commissioning.author_plan")
        return super().get_context_data(
            plan=plan,
            document=document,
            checks=checks,
            actions=actions,
            timeline=selectors.plan_timeline(plan=plan),
            can_edit=is_author and plan.is_editable,
            can_start_version=(
                is_author
                and plan.state == PlanState.PUBLISHED
                and not hasattr(plan, "next_version")
            ),
            current=selectors.plan_current_version_get(plan=plan),
            pdf_size=_stored_size(plan),
            **pages,
            **kwargs,
        )


class PlanUpdateView(PlanMixin, ObjectPermissionRequiredMixin, FormView):
    """Change a draft. Anything else is sent back to its page with the reason."""

    permission_required = "commissioning.author_plan"
    form_class = PlanForm
    template_name = "commissioning/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        plan = self.get_object()
        may_author = request.user.is_authenticated and request.user.has_perm(
            self.permission_required, plan
        )
        if may_author and not plan.is_editable:
            messages.error(request, services.PlanNotEditable(plan).message)
            return redirect("plan_staff_detail", pk=plan.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            services.plan_update(plan=self.get_object(), **data)
        except services.PlanNotEditable as exc:
            messages.error(self.request, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        else:
            messages.success(self.request, "Draft plan saved")
        return redirect("plan_staff_detail", pk=self.get_object().pk)


class PlanNewVersionView(PlanMixin, ObjectPermissionRequiredMixin, TemplateView):
    """Start the next version of the published plan (GET confirms, POST starts it)."""

    permission_required = "commissioning.author_plan"
    template_name = "commissioning/plan_new_version.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.get_object(), **kwargs)

    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        if plan.state != PlanState.PUBLISHED:
            messages.error(request, _no_new_version_message(plan))
            return redirect("plan_staff_detail", pk=plan.pk)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        plan = self.get_object()
        try:
            draft = services.plan_new_version(plan=plan, user=request.user)
        except services.PlanVersionRefused:
            messages.error(request, _no_new_version_message(plan))
            return redirect("plan_staff_detail", pk=plan.pk)
        messages.success(
            request,
            f"Version {draft.version} is a draft. Version {plan.version} stays published "
            f"until version {draft.version} is approved and published.",
        )
        return redirect("plan_staff_detail", pk=draft.pk)


def _no_new_version_message(plan: CommissioningPlan) -> str:
    if plan.state == PlanState.SUPERSEDED:
        return "This version has been superseded. Start a new version from the current one."
    return "A new version can be started once this plan is published."


class PlanTransitionView(PlanMixin, LoginRequiredMixin, TransitionConfirmView):
    """Confirm and run one lifecycle action. Offered only when the state machine allows it;
    a crafted request for anything else gets 403 or a clear message, and nothing changes."""

    form_class = PlanTransitionForm
    template_name = "commissioning/plan_action.html"
    record_name = "plan"
    context_object_name = "plan"
    changed_message = (
        "This plan was changed by someone else while you were looking at it. "
        "Check where it is now before you try again."
    )
    changed_checked_first = True

    def unavailable_response(self):
        if not self.request.user.has_perm("commissioning.view_plan_drafts"):
            raise PermissionDenied
        return super().unavailable_response()

    def not_allowed_message(self) -> str:
        return self.unavailable_message()

    def get_success_url(self) -> str:
        return reverse("plan_staff_detail", kwargs={"pk": self.get_object().pk})

    def get_context_data(self, **kwargs):
        plan = self.get_object()
        return super().get_context_data(
            current=(
                CommissioningPlan.objects.filter(series=plan.series, state=PlanState.PUBLISHED)
                .exclude(pk=plan.pk)
                .first()
                if self.spec.name == "publish"
                else None
            ),
            **kwargs,
        )

    def transition_make(self, *, name, user, reason, seen_state):
        return services.plan_transition(plan=self.get_object(), name=name, user=user, reason=reason)

    def success_message(self, plan) -> str:
        return f"The plan is now: {plan.get_state_display()}"
