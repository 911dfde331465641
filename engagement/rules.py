"""Who may see and change the Understand stage's records."""

import rules

from core.rules import is_administrator, is_approver, is_officer, is_provider_user

manages_engagement = is_officer | is_administrator
views_engagement = manages_engagement | is_approver


@rules.predicate
def is_own_booking(user, booking) -> bool:
    return booking is not None and booking.user_id == user.pk


@rules.predicate
def is_published_event(user, event) -> bool:
    return event is not None and event.is_published


rules.add_perm("engagement.manage", manages_engagement)
rules.add_perm("engagement.view_records", views_engagement)
rules.add_perm("engagement.view_event", is_published_event | views_engagement)
rules.add_perm("engagement.book_event", rules.is_authenticated & is_published_event)
rules.add_perm("engagement.cancel_booking", is_own_booking | manages_engagement)
rules.add_perm("engagement.give_feedback", is_provider_user)
