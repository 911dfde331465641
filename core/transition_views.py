"""The confirmation page for one lifecycle action, shared by every record with a state
machine (commissions, plans, bids, agreements, variations).

GET shows what the action does (the transition's `custom["explanation"]`); POST makes it
through the app's transition service. The actions offered come from the state machine: a
crafted request for an action that does not exist gets 404, one this person may not make
403, and one the record's state or conditions do not allow now a message on the record's
page (what is still needed, from `transition_checklist`). Nothing changes in any of those
cases.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView
from django_fsm import Transition, TransitionNotAllowed

from core.forms import TransitionForm
from core.transitions import (
    transition_from_state,
    transition_problems,
    transition_spec_available,
)


class TransitionConfirmView(FormView):
    """Confirm and make the action named in the URL (`name`) on `get_object()`.

    A view says what the record is called (`record_name`), puts it in the context under
    `context_object_name` if its mixins do not, makes the action in `transition_make` and
    says what happened in `success_message`. The other hooks have defaults that suit most
    records.
    """

    form_class = TransitionForm
    record_name = "record"
    context_object_name: str | None = None

    #: The reasons' label and the message when they are required and missing.
    reason_label = ""
    reason_message = ""
    #: False for a form that asks for reasons its own way (or not at all).
    reason_asked = True

    #: When set, a POST from a page showing a state the record has since left is sent back
    #: with this message, without reading the form: before anything else is checked when
    #: `changed_checked_first`, otherwise once the action is found allowed. When None,
    #: the service's own check (one of `shown_errors`) says so.
    changed_message: str | None = None
    changed_checked_first = False

    #: Errors from the service whose own words are shown, as they are (someone else moved
    #: the record first, the deadline passed).
    shown_errors: tuple[type[Exception], ...] = ()

    spec: Transition | None

    # --- Hooks ------------------------------------------------------------------------------

    def get_object(self):
        """The record the action is on."""
        raise NotImplementedError

    def transition_make(self, *, name: str, user, reason: str, seen_state: str):
        """Make the action through the app's service and return what it returns."""
        raise NotImplementedError

    def spec_find(self, name: str) -> Transition | None:
        """The action if the record's state and conditions allow it now, else None;
        TransitionNotAllowed when there is no such action anyone can ask for."""
        return transition_spec_available(instance=self.get_object(), name=name)

    def check_access(self) -> None:
        """Raise PermissionDenied for someone who may not act on the record at all, before
        it is known whether the action is allowed now."""

    def check_permission(self) -> None:
        """Raise PermissionDenied when the machine does not let this person make the action."""
        if not self.spec.has_perm(self.get_object(), self.request.user):
            raise PermissionDenied

    def unavailable_message(self) -> str:
        """Why the action cannot be taken in the record's state."""
        return (
            f"That cannot be done while the {self.record_name} is "
            f"“{self.get_object().get_state_display()}”. Nothing has been changed."
        )

    def still_needed_message(self, problems: list[str]) -> str:
        """What to say when the record's state allows the action but some of its conditions
        are not met yet: `problems` are what is still needed, from its checklist."""
        label = self.spec_label()
        return (
            f"You cannot {label[0].lower()}{label[1:]} yet. Still needed: "
            + "; ".join(sentence[0].lower() + sentence[1:].rstrip(".") for sentence in problems)
            + ". Nothing has been changed."
        )

    def spec_label(self) -> str:
        spec = transition_from_state(instance=self.get_object(), name=self.kwargs["name"])
        return spec.custom.get("label", spec.name) if spec else self.kwargs["name"]

    def unavailable_response(self):
        """The answer when the record's state or a condition does not allow the action now:
        what is still needed when the state allows it, otherwise why the state does not."""
        record, name = self.get_object(), self.kwargs["name"]
        problems = (
            transition_problems(instance=record, name=name)
            if transition_from_state(instance=record, name=name)
            else []
        )
        message = self.still_needed_message(problems) if problems else self.unavailable_message()
        messages.error(self.request, message)
        return redirect(self.get_success_url())

    def not_allowed_message(self) -> str:
        """What to say when the service refused the action (TransitionNotAllowed)."""
        return "That cannot be done now. Nothing has been changed."

    def success_message(self, result) -> str:
        """What to tell the person once the action is made (`result` is what
        `transition_make` returned)."""
        raise NotImplementedError

    def transition_done(self, result):
        """The answer once the action is made."""
        messages.success(self.request, self.success_message(result))
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        """The record's page, where every answer but the confirmation page goes."""
        return self.get_object().get_absolute_url()

    # --- The flow ---------------------------------------------------------------------------

    def prepare(self):
        """Find the action and check it may be made now: a response when not, else None."""
        if self.changed_checked_first:
            changed = self.changed_response()
            if changed:
                return changed
        try:
            self.spec = self.spec_find(self.kwargs["name"])
        except TransitionNotAllowed as error:
            raise Http404("No such action") from error
        self.check_access()
        if self.spec is None:
            return self.unavailable_response()
        self.check_permission()
        return None

    def changed_response(self):
        """Send a POST from an out-of-date page back to the record, with `changed_message`."""
        if self.changed_message is None or self.request.method != "POST":
            return None
        seen_state = self.request.POST.get("seen_state")
        if seen_state and seen_state != self.get_object().state:
            messages.error(self.request, self.changed_message)
            return redirect(self.get_success_url())
        return None

    def refuse_post(self):
        """Checks a POST makes once the action is found allowed: a response, or None."""
        if self.changed_checked_first:
            return None
        return self.changed_response()

    def get(self, request, *args, **kwargs):
        return self.prepare() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.prepare() or self.refuse_post() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {
            **super().get_form_kwargs(),
            "submit_label": self.spec.custom.get("label", "Confirm"),
            "warning": bool(self.spec.custom.get("destructive")),
        }
        if self.reason_asked:
            kwargs.update(
                reason_required=self.spec.custom.get("reason_required", False),
                reason_label=self.reason_label,
                reason_message=self.reason_message,
            )
        return kwargs

    def get_initial(self):
        return {"seen_state": self.get_object().state}

    def get_context_data(self, **kwargs):
        record = self.get_object()
        if self.context_object_name:
            kwargs.setdefault(self.context_object_name, record)
        state_labels = dict(record._meta.get_field("state").flatchoices)
        return super().get_context_data(
            spec=self.spec,
            explanation=self.spec.custom.get("explanation", ""),
            target_label=state_labels.get(self.spec.target, self.spec.target),
            back_url=self.get_success_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            result = self.transition_make(
                name=self.spec.name,
                user=self.request.user,
                reason=form.cleaned_data.get("reason", ""),
                seen_state=form.cleaned_data["seen_state"],
            )
        except self.shown_errors as error:
            messages.error(self.request, str(error))
        except TransitionNotAllowed:
            messages.error(self.request, self.not_allowed_message())
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reason" if "reason" in form.fields else None, message)
            return self.form_invalid(form)
        else:
            return self.transition_done(result)
        return redirect(self.get_success_url())
