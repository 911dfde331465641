"""Staff pages for service design: specifications, their outcomes, success measures with
targets, lots and service-specific criteria, and the library of success measures.

All council staff may read them. Only the commission's lead officer changes a
specification (403 for anyone else), and only while the commission is in draft,
understanding needs or planning (otherwise they are told why and nothing changes).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from commissioning.forms.specifications import (
    CriterionFormSet,
    LotFormSet,
    OutcomeFormSet,
    SpecificationForm,
    SpecificationMeasureForm,
    SuccessMeasureForm,
    plain_number,
)
from commissioning.models import Commission, Specification, SpecificationMeasure
from commissioning.selectors import specifications as selectors
from commissioning.services import specifications as services
from core.forms import form_errors_add, submitted_id
from core.mixins import ObjectPermissionRequiredMixin, StaffRequiredMixin
from core.rules import is_officer

LEAD = "commissioning.lead_commission"


class SpecificationMixin:
    """Fetches the specification named in the URL (404 if there is none); the rules are
    checked against its commission."""

    @cached_property
    def specification(self) -> Specification:
        try:
            return selectors.specification_get(pk=self.kwargs["pk"])
        except Specification.DoesNotExist as exc:
            raise Http404("No such specification") from exc

    @property
    def commission(self) -> Commission:
        return self.specification.commission

    def get_permission_object(self):
        return self.commission

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            specification=self.specification, commission=self.commission, **kwargs
        )


class ChangesSpecificationMixin(ObjectPermissionRequiredMixin):
    """The lead officer, while the commission is still at a stage where specifications
    may change; when it is not, back to the specification with a clear message."""

    permission_required = LEAD

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.has_permission():
            return self.handle_no_permission()
        if not selectors.specification_is_editable(commission=self.commission):
            return self.locked(services.SpecificationLocked(self.commission.state))
        return super().dispatch(request, *args, **kwargs)

    def locked(self, error: services.SpecificationLocked):
        messages.error(self.request, str(error))
        return redirect(self.locked_redirect_url())

    def locked_redirect_url(self) -> str:
        return self.specification.get_absolute_url()

    def get_success_url(self) -> str:
        return self.specification.get_absolute_url()


# --- The specification ---------------------------------------------------------------------------


class SpecificationDetailView(SpecificationMixin, ObjectPermissionRequiredMixin, TemplateView):
    """Everything in the specification, and what it still needs before it can go in a plan."""

    permission_required = "commissioning.view_commission"
    template_name = "commissioning/specification_detail.html"

    def get_context_data(self, **kwargs):
        editable = selectors.specification_is_editable(commission=self.commission)
        return super().get_context_data(
            summary=selectors.specification_summary_get(specification=self.specification),
            editable=editable,
            can_change=editable and self.request.user.has_perm(LEAD, self.commission),
            **kwargs,
        )


class SpecificationCreateView(ChangesSpecificationMixin, FormView):
    form_class = SpecificationForm
    template_name = "commissioning/specification_form.html"

    @cached_property
    def commission(self) -> Commission:
        try:
            return selectors.commission_for_specification_get(pk=self.kwargs["pk"])
        except Commission.DoesNotExist as exc:
            raise Http404("No such commission") from exc

    def get_permission_object(self):
        return self.commission

    def locked_redirect_url(self) -> str:
        return self.commission.get_absolute_url()

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": selectors.partner_organisations_for(commission=self.commission),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(commission=self.commission, **kwargs)

    def form_valid(self, form):
        try:
            specification = services.specification_create(
                commission=self.commission, created_by=self.request.user, **form.cleaned_data
            )
        except services.SpecificationLocked as error:
            return self.locked(error)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Specification created: {specification.title}")
        return redirect(specification)


class SpecificationUpdateView(SpecificationMixin, ChangesSpecificationMixin, FormView):
    form_class = SpecificationForm
    template_name = "commissioning/specification_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            # A copy, so a rejected change does not show in the page around the form.
            "instance": Specification.objects.get(pk=self.specification.pk),
            "organisations": selectors.partner_organisations_for(
                commission=self.commission, specification=self.specification
            ),
        }

    def form_valid(self, form):
        try:
            specification = services.specification_update(
                specification=self.specification, **form.cleaned_data
            )
        except services.SpecificationLocked as error:
            return self.locked(error)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Specification saved")
        return redirect(specification)


# --- Lists edited as a whole ---------------------------------------------------------------------


class _RowsView(SpecificationMixin, ChangesSpecificationMixin, FormView):
    """A formset of rows, one per outcome, lot or criterion, with blank rows to add more."""

    prefix: str
    saved_message: str

    def get_initial(self):
        return [self.initial_row(obj) for obj in self.existing()]

    def existing(self):
        raise NotImplementedError

    def initial_row(self, obj) -> dict:
        raise NotImplementedError

    def save(self, rows) -> None:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(formset=kwargs["form"], **kwargs)

    def form_valid(self, form):
        try:
            self.save(form.rows())
        except services.SpecificationLocked as error:
            return self.locked(error)
        messages.success(self.request, self.saved_message)
        return redirect(self.get_success_url())


class SpecificationOutcomesView(_RowsView):
    form_class = OutcomeFormSet
    template_name = "commissioning/specification_outcomes.html"
    prefix = "outcomes"
    saved_message = "Outcomes saved"

    def existing(self):
        return self.specification.outcomes.all()

    def initial_row(self, obj) -> dict:
        return {"id": obj.pk, "description": obj.description}

    def save(self, rows) -> None:
        services.specification_outcomes_set(specification=self.specification, outcomes=rows)


class SpecificationLotsView(_RowsView):
    form_class = LotFormSet
    template_name = "commissioning/specification_lots.html"
    prefix = "lots"
    saved_message = "Lots saved"

    def existing(self):
        return self.specification.lots.all()

    def initial_row(self, obj) -> dict:
        return {
            "id": obj.pk,
            "name": obj.name,
            "description": obj.description,
            "budget": plain_number(obj.budget),
        }

    def save(self, rows) -> None:
        services.specification_lots_set(specification=self.specification, lots=rows)


class SpecificationCriteriaView(_RowsView):
    form_class = CriterionFormSet
    template_name = "commissioning/specification_criteria.html"
    prefix = "criteria"
    saved_message = "Service-specific criteria saved"

    def existing(self):
        return self.specification.service_criteria.all()

    def initial_row(self, obj) -> dict:
        return {
            "id": obj.pk,
            "name": obj.name,
            "description": obj.description,
            "weight": plain_number(obj.weight),
        }

    def save(self, rows) -> None:
        services.specification_criteria_set(specification=self.specification, criteria=rows)


# --- Success measures ----------------------------------------------------------------------------


class SpecificationMeasuresView(SpecificationMixin, ChangesSpecificationMixin, FormView):
    """The measures chosen so far with their targets; a form to add one from the library,
    or, with ?change=<id>, to change one's outcome and targets; a Remove button for each."""

    form_class = SpecificationMeasureForm
    template_name = "commissioning/specification_measures.html"

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            chosen = self._chosen(submitted_id(request.POST, "remove"))
            try:
                services.specification_measure_remove(specification_measure=chosen)
            except services.SpecificationLocked as error:
                return self.locked(error)
            messages.success(request, f"Success measure removed: {chosen.measure.name}")
            return redirect(self.measures_url)
        return super().post(request, *args, **kwargs)

    @property
    def measures_url(self) -> str:
        return reverse("specification_measures", kwargs={"pk": self.specification.pk})

    def _chosen(self, pk: int) -> SpecificationMeasure:
        for chosen in self.specification.measures.all():
            if chosen.pk == pk:
                return chosen
        raise Http404("That success measure is not in this specification")

    @cached_property
    def chosen(self) -> SpecificationMeasure | None:
        data = self.request.POST if "change" in self.request.POST else self.request.GET
        pk = submitted_id(data, "change", optional=True)
        return self._chosen(pk) if pk is not None else None

    @cached_property
    def years(self) -> list[int]:
        return selectors.specification_years(specification=self.specification)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "specification": self.specification,
            "years": self.years,
            "measures": selectors.success_measures_available_for(specification=self.specification),
            "chosen": self.chosen,
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(
            error_forms=[kwargs["form"]],
            rows=selectors.specification_measure_rows(specification=self.specification),
            years=self.years,
            chosen=self.chosen,
            **kwargs,
        )

    def form_valid(self, form):
        outcome = form.cleaned_data.get("outcome")
        try:
            if self.chosen is None:
                chosen = services.specification_measure_add(
                    specification=self.specification,
                    measure=form.cleaned_data["measure"],
                    outcome=outcome,
                    targets=form.targets(),
                )
                message = f"Success measure added: {chosen.measure.name}"
            else:
                chosen = services.specification_measure_update(
                    specification_measure=self.chosen, outcome=outcome, targets=form.targets()
                )
                message = f"Targets saved: {chosen.measure.name}"
        except services.SpecificationLocked as error:
            return self.locked(error)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.measures_url)


# --- The library of success measures -------------------------------------------------------------


class SuccessMeasureListView(StaffRequiredMixin, TemplateView):
    template_name = "commissioning/success_measure_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            measures=selectors.success_measures_list(),
            can_add=is_officer.test(self.request.user),
            **kwargs,
        )


class SuccessMeasureCreateView(ObjectPermissionRequiredMixin, FormView):
    """Commissioning officers add measures to the library; ?next= returns them to the
    specification they were working on."""

    form_class = SuccessMeasureForm
    template_name = "commissioning/success_measure_form.html"

    def has_permission(self) -> bool:
        return is_officer.test(self.request.user)

    @property
    def next_url(self) -> str | None:
        url = self.request.GET.get("next", "")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            back_url=self.next_url or reverse("success_measure_list"), **kwargs
        )

    def form_valid(self, form):
        try:
            measure = services.success_measure_create(**form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Success measure added to the library: {measure.name}")
        # Not redirect(): it would try a ?next= such as "abc" as a URL name.
        return HttpResponseRedirect(self.next_url or reverse("success_measure_list"))
