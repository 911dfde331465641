"""The framework's reference data, kept by Administrators."""

from django.contrib import admin
from django.db import models

from commissioning.models import (
    Area,
    CommissioningPrinciple,
    CoreCriterion,
    CorporatePriority,
    CrossCuttingTheme,
    CycleStage,
    CycleStep,
    FinancialProxy,
    Framework,
    GlossaryTerm,
    Sector,
    SuccessMeasureProxy,
)


class CorporatePriorityInline(admin.TabularInline):
    model = CorporatePriority
    fields = ["order", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


class CrossCuttingThemeInline(admin.TabularInline):
    model = CrossCuttingTheme
    fields = ["order", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


class CoreCriterionInline(admin.TabularInline):
    model = CoreCriterion
    fields = ["order", "name", "slug", "default_weight"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "period", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["title", "subtitle"]
    ordering = ["-period_start"]
    prepopulated_fields = {"slug": ["title", "period_start", "period_end"]}
    inlines = [CorporatePriorityInline, CrossCuttingThemeInline, CoreCriterionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "subtitle",
                    "slug",
                    ("period_start", "period_end"),
                    "is_current",
                ]
            },
        ),
        ("Introduction", {"fields": ["introduction", "corporate_plan_quote"]}),
        (
            "Purpose and commitments",
            {
                "fields": [
                    "core_purpose",
                    "priorities_introduction",
                    "vulnerable_thread",
                    "themes_introduction",
                    "corporate_plan_title",
                    "corporate_plan_url",
                ]
            },
        ),
        (
            "What is commissioning",
            {"fields": ["commissioning_model", "what_is_commissioning"]},
        ),
        (
            "The commissioning cycle and plan",
            {"fields": ["cycle_introduction", "commissioning_plan_description"]},
        ),
    ]

    @admin.display(description="period", ordering="period_start")
    def period(self, obj: Framework) -> str:
        return obj.period


class FrameworkItemAdmin(admin.ModelAdmin):
    """Shared by the lists that belong to a framework and keep an order."""

    list_display = ["name", "order", "framework"]
    list_editable = ["order"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["name"]
    ordering = ["framework", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CorporatePriority)
class CorporatePriorityAdmin(FrameworkItemAdmin):
    search_fields = ["name", "description"]


@admin.register(CrossCuttingTheme)
class CrossCuttingThemeAdmin(FrameworkItemAdmin):
    search_fields = ["name", "description"]


@admin.register(CommissioningPrinciple)
class CommissioningPrincipleAdmin(FrameworkItemAdmin):
    search_fields = ["name", "text"]


@admin.register(CoreCriterion)
class CoreCriterionAdmin(FrameworkItemAdmin):
    list_display = ["name", "default_weight", "order", "framework"]
    list_editable = ["default_weight", "order"]
    search_fields = ["name", "description"]


class CycleStepInline(admin.StackedInline):
    model = CycleStep
    fields = [("order", "name", "slug"), "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order"]
    extra = 0


@admin.register(CycleStage)
class CycleStageAdmin(FrameworkItemAdmin):
    list_display = ["name", "order", "framework", "summary"]
    search_fields = ["name", "summary"]
    inlines = [CycleStepInline]


@admin.register(CycleStep)
class CycleStepAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "order"]
    list_filter = ["stage__framework", "stage"]
    list_select_related = ["stage"]
    search_fields = ["name", "description"]
    ordering = ["stage__framework", "stage__order", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "order"]
    list_editable = ["order"]
    search_fields = ["name", "short_name"]
    ordering = ["order", "name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "framework"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["term", "definition"]
    ordering = ["framework", "term"]
    prepopulated_fields = {"slug": ["term"]}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "gss_code"]
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "gss_code"]
    ordering = ["kind", "name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class SuccessMeasureProxyInline(admin.TabularInline):
    model = SuccessMeasureProxy
    fields = ["measure"]
    extra = 0


@admin.register(FinancialProxy)
class FinancialProxyAdmin(admin.ModelAdmin):
    """What a unit of an outcome is worth, for Social Return on Investment, and the
    success measures it values."""

    list_display = ["name", "value", "unit", "year", "illustrative"]
    list_filter = ["illustrative", "year"]
    search_fields = ["name", "unit", "source", "notes"]
    ordering = ["name"]
    inlines = [SuccessMeasureProxyInline]
    fieldsets = [
        (None, {"fields": ["name", "unit", "value", "source", "year", "notes", "illustrative"]}),
        (
            "Usual assumptions (officers can change them for each calculation)",
            {
                "fields": [
                    ("deadweight", "attribution", "displacement"),
                    ("duration_years", "drop_off"),
                ]
            },
        ),
    ]
