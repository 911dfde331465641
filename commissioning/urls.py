from django.urls import path

from commissioning import views
from commissioning.views import framework_periods, options, plans, specifications, thread

urlpatterns = [
    # Public: the framework, and published Commissioning Plans.
    path("", views.HomeView.as_view(), name="home"),
    path("framework/", views.FrameworkView.as_view(), name="framework"),
    path("framework/glossary/", views.GlossaryView.as_view(), name="glossary"),
    path(
        "framework/periods/<slug:slug>/",
        framework_periods.FrameworkPeriodView.as_view(),
        name="framework_period",
    ),
    path("plans/", plans.PublicPlanListView.as_view(), name="plan_public_list"),
    path("plans/<slug:slug>.pdf", plans.PlanPdfView.as_view(), name="plan_pdf"),
    path("plans/<slug:slug>/", plans.PublicPlanDetailView.as_view(), name="plan_public_detail"),
    # The golden thread: from a specification back to the needs and forward to the outcomes.
    path(
        "thread/specifications/<int:pk>/",
        thread.SpecificationThreadView.as_view(),
        name="thread_specification",
    ),
    path("staff/thread/gaps/<int:pk>/", thread.GapThreadView.as_view(), name="thread_gap"),
    path(
        "staff/thread/evidence/<int:pk>/",
        thread.EvidenceThreadView.as_view(),
        name="thread_evidence",
    ),
    # Administrators: the framework's periods.
    path(
        "staff/framework/periods/",
        framework_periods.FrameworkPeriodListView.as_view(),
        name="framework_periods",
    ),
    path(
        "staff/framework/periods/new/",
        framework_periods.FrameworkPeriodStartView.as_view(),
        name="framework_period_start",
    ),
    # Staff: commissions and their lifecycle.
    path("staff/", views.StaffDashboardView.as_view(), name="staff_home"),
    path("staff/commissions/new/", views.CommissionCreateView.as_view(), name="commission_create"),
    path(
        "staff/commissions/<int:pk>/",
        views.CommissionDetailView.as_view(),
        name="commission_detail",
    ),
    path(
        "staff/commissions/<int:pk>/edit/",
        views.CommissionUpdateView.as_view(),
        name="commission_update",
    ),
    path(
        "staff/commissions/<int:pk>/actions/<slug:name>/",
        views.CommissionTransitionView.as_view(),
        name="commission_transition",
    ),
    # Staff: options appraisal.
    path(
        "staff/commissions/<int:pk>/options/",
        options.OptionsAppraisalView.as_view(),
        name="options_appraisal",
    ),
    path(
        "staff/commissions/<int:pk>/options/new/",
        options.OptionCreateView.as_view(),
        name="option_create",
    ),
    path("staff/options/<int:pk>/edit/", options.OptionUpdateView.as_view(), name="option_update"),
    path(
        "staff/options/<int:pk>/recommend/",
        options.OptionRecommendView.as_view(),
        name="option_recommend",
    ),
    # Staff: service design.
    path(
        "staff/commissions/<int:pk>/specifications/new/",
        specifications.SpecificationCreateView.as_view(),
        name="specification_create",
    ),
    path(
        "staff/specifications/<int:pk>/",
        specifications.SpecificationDetailView.as_view(),
        name="specification_detail",
    ),
    path(
        "staff/specifications/<int:pk>/edit/",
        specifications.SpecificationUpdateView.as_view(),
        name="specification_update",
    ),
    path(
        "staff/specifications/<int:pk>/outcomes/",
        specifications.SpecificationOutcomesView.as_view(),
        name="specification_outcomes",
    ),
    path(
        "staff/specifications/<int:pk>/measures/",
        specifications.SpecificationMeasuresView.as_view(),
        name="specification_measures",
    ),
    path(
        "staff/specifications/<int:pk>/lots/",
        specifications.SpecificationLotsView.as_view(),
        name="specification_lots",
    ),
    path(
        "staff/specifications/<int:pk>/criteria/",
        specifications.SpecificationCriteriaView.as_view(),
        name="specification_criteria",
    ),
    path(
        "staff/success-measures/",
        specifications.SuccessMeasureListView.as_view(),
        name="success_measure_list",
    ),
    path(
        "staff/success-measures/new/",
        specifications.SuccessMeasureCreateView.as_view(),
        name="success_measure_create",
    ),
    # Staff: Commissioning Plans.
    path("staff/plans/", plans.StaffPlanListView.as_view(), name="plan_staff_list"),
    path("staff/plans/new/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("staff/plans/<int:pk>/", plans.StaffPlanDetailView.as_view(), name="plan_staff_detail"),
    path("staff/plans/<int:pk>/edit/", plans.PlanUpdateView.as_view(), name="plan_update"),
    path(
        "staff/plans/<int:pk>/new-version/",
        plans.PlanNewVersionView.as_view(),
        name="plan_new_version",
    ),
    path(
        "staff/plans/<int:pk>/actions/<slug:name>/",
        plans.PlanTransitionView.as_view(),
        name="plan_transition",
    ),
]
