from django.urls import path

from engagement.views import events, evidence, feedback, gaps, provision

app_name = "engagement"

urlpatterns = [
    # Public and providers: engagement events and bookings, feedback online.
    path("engagement/", events.EventListView.as_view(), name="event_list"),
    path("engagement/events/<int:pk>/", events.EventDetailView.as_view(), name="event_detail"),
    path("engagement/events/<int:pk>/book/", events.EventBookView.as_view(), name="event_book"),
    path("engagement/bookings/", events.MyBookingsView.as_view(), name="my_bookings"),
    path(
        "engagement/bookings/<int:pk>/cancel/",
        events.BookingCancelView.as_view(),
        name="booking_cancel",
    ),
    path("engagement/feedback/", feedback.FeedbackGiveView.as_view(), name="feedback_give"),
    # Council staff: events, attendance, feedback.
    path("staff/engagement/events/", events.StaffEventListView.as_view(), name="staff_events"),
    path(
        "staff/engagement/events/new/",
        events.EventCreateView.as_view(),
        name="event_create",
    ),
    path(
        "staff/engagement/events/<int:pk>/edit/",
        events.EventUpdateView.as_view(),
        name="event_update",
    ),
    path(
        "staff/engagement/events/<int:pk>/attendance/",
        events.EventAttendanceView.as_view(),
        name="event_attendance",
    ),
    path(
        "staff/engagement/feedback/",
        feedback.StaffFeedbackListView.as_view(),
        name="staff_feedback",
    ),
    path(
        "staff/engagement/feedback/new/",
        feedback.FeedbackRecordView.as_view(),
        name="feedback_record",
    ),
    # Council staff: local needs assessment and the map of existing provision.
    path("staff/engagement/evidence/", evidence.EvidenceListView.as_view(), name="evidence_list"),
    path(
        "staff/engagement/evidence/new/",
        evidence.EvidenceCreateView.as_view(),
        name="evidence_create",
    ),
    path(
        "staff/engagement/evidence/<int:pk>/",
        evidence.EvidenceDetailView.as_view(),
        name="evidence_detail",
    ),
    path(
        "staff/engagement/evidence/<int:pk>/edit/",
        evidence.EvidenceUpdateView.as_view(),
        name="evidence_update",
    ),
    path(
        "staff/engagement/evidence/<int:pk>/file/",
        evidence.EvidenceFileView.as_view(),
        name="evidence_file",
    ),
    path(
        "staff/engagement/provision/",
        provision.ProvisionListView.as_view(),
        name="provision_list",
    ),
    path(
        "staff/engagement/provision/new/",
        provision.ProvisionCreateView.as_view(),
        name="provision_create",
    ),
    path(
        "staff/engagement/provision/<int:pk>/edit/",
        provision.ProvisionUpdateView.as_view(),
        name="provision_update",
    ),
    # Council staff: a commission's gap analysis.
    path(
        "staff/commissions/<int:pk>/gaps/",
        gaps.GapAnalysisView.as_view(),
        name="gap_analysis",
    ),
    path(
        "staff/commissions/<int:pk>/gaps/new/",
        gaps.GapCreateView.as_view(),
        name="gap_create",
    ),
    path("staff/gaps/<int:pk>/edit/", gaps.GapUpdateView.as_view(), name="gap_update"),
]
