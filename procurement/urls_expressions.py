"""Two-stage opportunities: expressions of interest and shortlisting (in the
`procurement` namespace)."""

from django.urls import path

from procurement.views import expressions

urlpatterns = [
    # Officers: the stages and the shortlist.
    path(
        "staff/opportunities/<int:pk>/stages/",
        expressions.ExpressionStageView.as_view(),
        name="expression_stage",
    ),
    path(
        "staff/opportunities/<int:pk>/shortlist/",
        expressions.ShortlistView.as_view(),
        name="shortlist",
    ),
    path(
        "staff/opportunities/<int:pk>/shortlist/declare/",
        expressions.ShortlistDeclareView.as_view(),
        name="shortlist_declare",
    ),
    path(
        "staff/opportunities/<int:pk>/shortlist/send/",
        expressions.ShortlistSendView.as_view(),
        name="shortlist_send",
    ),
    # Providers: the expression of interest.
    path(
        "opportunities/<slug:slug>/interest/",
        expressions.ExpressionStartView.as_view(),
        name="expression_start",
    ),
    path(
        "interest/<int:pk>/",
        expressions.ExpressionDetailView.as_view(),
        name="expression_detail",
    ),
    path(
        "interest/<int:pk>/edit/",
        expressions.ExpressionEditView.as_view(),
        name="expression_edit",
    ),
    path(
        "interest/<int:pk>/<slug:name>/",
        expressions.ExpressionTransitionView.as_view(),
        name="expression_action",
    ),
]
