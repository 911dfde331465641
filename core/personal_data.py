"""What the portal holds about one person, for them to download (UK GDPR right of access).

Only their own records: never another person's name or email, and nothing of a bid's
content before its opportunity's deadline (a bid they started is listed by reference).
"""

import datetime as dt

from django.utils import timezone


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def personal_data_for(*, user) -> dict:
    """Everything about `user`, as plain JSON-ready data."""
    from axes.models import AccessFailureLog, AccessLog

    from core.models import ClosureRequest
    from engagement.models import Booking, Feedback
    from procurement.models import Bid, Clarification
    from providers.models import JoinRequest, Membership

    now = timezone.now()
    bids = []
    for bid in Bid.objects.filter(created_by=user).select_related("opportunity", "organisation"):
        entry = {
            "reference": bid.reference,
            "opportunity": bid.opportunity.title,
            "organisation": bid.organisation.name,
            "state": bid.get_state_display(),
            "created_at": _when(bid.created_at),
        }
        if bid.opportunity.closes_at <= now:
            entry["title"] = bid.title
            entry["submitted_at"] = _when(bid.submitted_at)
        bids.append(entry)

    return {
        "generated_at": _when(now),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "job_title": user.job_title,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "roles": sorted(group.name for group in user.groups.all()),
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.get_role_display(),
                "joined_at": _when(m.joined_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "join_requests": [
            {
                "organisation": j.organisation.name,
                "message": j.message,
                "status": j.get_status_display(),
                "created_at": _when(j.created_at),
            }
            for j in JoinRequest.objects.filter(user=user).select_related("organisation")
        ],
        "event_bookings": [
            {
                "event": b.event.title,
                "starts_at": _when(b.event.starts_at),
                "status": b.get_status_display(),
                "access_needs": b.access_needs,
                "booked_at": _when(b.booked_at),
            }
            for b in Booking.objects.filter(user=user).select_related("event")
        ],
        "feedback_given": [
            {
                "summary": f.summary,
                "feedback": f.text,
                "from": f.given_by,
                "received_on": _when(f.received_on),
            }
            for f in Feedback.objects.filter(submitted_by=user)
        ],
        "clarification_questions": [
            {
                "opportunity": c.opportunity.title,
                "question": c.question,
                "asked_at": _when(c.asked_at),
                "answer": c.answer if c.published_at else "",
            }
            for c in Clarification.objects.filter(asked_by=user).select_related("opportunity")
        ],
        "bids_started": bids,
        "notifications": [
            {
                "title": n.title,
                "body": n.body,
                "created_at": _when(n.created_at),
                "read_at": _when(n.read_at),
            }
            for n in user.notifications.all()
        ],
        "sign_ins": [
            {
                "at": _when(a.attempt_time),
                "signed_out_at": _when(a.logout_time),
                "ip_address": a.ip_address,
                "browser": a.user_agent,
            }
            for a in AccessLog.objects.filter(username__iexact=user.email).order_by("-attempt_time")
        ],
        "failed_sign_ins": [
            {"at": _when(a.attempt_time), "ip_address": a.ip_address, "browser": a.user_agent}
            for a in AccessFailureLog.objects.filter(username__iexact=user.email).order_by(
                "-attempt_time"
            )
        ],
        "closure_requests": [
            {
                "reason": r.reason,
                "status": r.get_status_display(),
                "requested_at": _when(r.requested_at),
            }
            for r in ClosureRequest.objects.filter(user=user)
        ],
    }
