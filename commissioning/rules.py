"""Who may do what to a commission: object-level rules with the `rules` library.

The transition permissions take (commission, user) as django-fsm-2 passes them.
"""

import rules

from core.rules import is_administrator, is_approver, is_council_staff, is_officer


@rules.predicate
def is_lead_officer(user, commission) -> bool:
    return commission is not None and commission.lead_officer_id == user.pk


@rules.predicate
def asked_for_plan_approval(user, commission) -> bool:
    return commission is not None and commission.plan_requested_by_id == user.pk


@rules.predicate
def recommended_awards(user, commission) -> bool:
    """The person sent the awards for approval, or recorded any of the decisions."""
    if commission is None:
        return False
    if commission.award_requested_by_id == user.pk:
        return True
    from procurement.selectors.moderation import commission_recommenders

    return user.pk in commission_recommenders(commission=commission)


lead = is_officer & is_lead_officer
approve_plan = is_approver & ~asked_for_plan_approval
approve_award = is_approver & ~recommended_awards

rules.add_perm("commissioning.view_commission", is_council_staff)
rules.add_perm("commissioning.add_commission", is_officer)
rules.add_perm("commissioning.change_commission", lead)
rules.add_perm("commissioning.lead_commission", lead)
rules.add_perm("commissioning.approve_plan", approve_plan)
rules.add_perm("commissioning.approve_award", approve_award)
rules.add_perm("commissioning.cancel_commission", lead | is_approver)


def can_lead(commission, user) -> bool:
    """The commission's lead officer."""
    return lead.test(user, commission)


def can_approve_plan(commission, user) -> bool:
    """An approver who did not ask for the plan's approval."""
    return approve_plan.test(user, commission)


def can_approve_award(commission, user) -> bool:
    """An approver who neither recommended the awards nor recorded any of the decisions."""
    return approve_award.test(user, commission)


def can_cancel(commission, user) -> bool:
    """The lead officer or an approver."""
    return (lead | is_approver).test(user, commission)


# --- The Plan stage -------------------------------------------------------------------------


@rules.predicate
def wrote_or_submitted_plan(user, plan) -> bool:
    return plan is not None and user.pk in (plan.author_id, plan.submitted_by_id)


approve_commissioning_plan = is_approver & ~wrote_or_submitted_plan

rules.add_perm("commissioning.author_plan", is_officer)
rules.add_perm("commissioning.approve_commissioning_plan", approve_commissioning_plan)
rules.add_perm("commissioning.view_plan_drafts", is_council_staff)


def can_author_plan(plan, user) -> bool:
    """A commissioning officer."""
    return is_officer.test(user, plan)


def can_approve_commissioning_plan(plan, user) -> bool:
    """An approver who neither wrote nor submitted the plan."""
    return approve_commissioning_plan.test(user, plan)


# --- The golden thread and the framework's periods ------------------------------------------

#: Who reads the whole thread (evidence, gaps, options, every decision and agreement); anyone
#: else reads its published parts.
reads_whole_thread = is_officer | is_approver | is_administrator
rules.add_perm("commissioning.view_whole_thread", reads_whole_thread)


@rules.predicate
def is_in_a_published_plan(user, specification) -> bool:
    """The specification's thread is public (commissioning.selectors.thread)."""
    from commissioning.selectors.thread import PUBLIC_PLAN_STATES

    return (
        specification is not None
        and specification.plans.filter(state__in=PUBLIC_PLAN_STATES).exists()
    )


#: Who may follow a specification's thread (SpecificationThreadView): all of it, or its
#: published parts once the specification is in a published plan.
rules.add_perm(
    "commissioning.follow_specification_thread",
    reads_whole_thread | is_in_a_published_plan,
)
rules.add_perm("commissioning.start_framework_period", is_administrator)
