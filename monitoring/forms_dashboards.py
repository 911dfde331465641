"""The portfolio's filters (GET), shared by the lists its figures link to: the staff
agreements list adds the RAG status, the returns list what to show."""

from django import forms
from django.db.models import Exists, OuterRef
from django.http import QueryDict

from commissioning.models import Area, Commission, CorporatePriority, Sector
from monitoring.dashboards import (
    ALL_YEARS,
    NOT_RATED,
    PortfolioFilters,
    financial_year_label,
    financial_year_of,
    financial_years_offered,
    today,
)
from monitoring.models import Rating


class ReadInOneQuery(forms.models.ModelChoiceIterator):
    """A select's few options read in one plain query: Django otherwise reads them through
    a server-side cursor in PostgreSQL (declare, fetch and close: three round trips)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class FilterChoiceField(forms.ModelChoiceField):
    iterator = ReadInOneQuery


class AreaFilterField(FilterChoiceField):
    """Areas, then wards with the area they are in: "Bulk (Lancaster)"."""

    def label_from_instance(self, obj: Area) -> str:
        if obj.parent_id is not None:
            return f"{obj.name} ({obj.parent.name})"
        return f"{obj.name} (whole area)"


class PortfolioFilterForm(forms.Form):
    """Sector, priority, area or ward, each "All" when left empty, and financial year. A
    value that is not one of the choices is ignored, never an error page.

    The year left out, empty or not one offered is this financial year, so the portfolio
    (and its payments) open on what an officer is working on and sum a year's agreements
    rather than every one ever made; "All years" is `year=all`. A list whose work is not
    tied to a year (the returns to review, the agreements found by reference) opens on all
    years instead: `opens_on_this_year=False`. Either way the form is bound to the year it
    shows, so the select says which one it is."""

    opens_on_this_year = True

    sector = FilterChoiceField(
        required=False, queryset=Sector.objects.order_by("order", "name"), empty_label="All"
    )
    priority = FilterChoiceField(
        required=False,
        queryset=CorporatePriority.objects.annotate(
            # Whether any commission serves it: the portfolio has a row for each that does.
            in_use=Exists(
                Commission.priorities.through.objects.filter(corporatepriority=OuterRef("pk"))
            )
        ),
        empty_label="All",
    )
    area = AreaFilterField(
        label="Area or ward",
        required=False,
        queryset=Area.objects.select_related("parent").order_by("kind", "parent__name", "name"),
        to_field_name="slug",
        empty_label="All",
    )
    year = forms.ChoiceField(label="Financial year", required=False)

    def __init__(self, data=None, *args, opens_on_this_year: bool | None = None, **kwargs):
        if opens_on_this_year is not None:
            self.opens_on_this_year = opens_on_this_year
        this_year = financial_year_of(today())
        choices = [(ALL_YEARS, "All years")] + [
            (str(year), financial_year_label(year)) for year in financial_years_offered()
        ]
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("year") not in dict(choices):
            data["year"] = str(this_year) if self.opens_on_this_year else ALL_YEARS
        super().__init__(data, *args, **kwargs)
        self.fields["year"].choices = choices

    def options_read_once(self) -> tuple[list[Sector], list[CorporatePriority]]:
        """The sectors and priorities offered, read once: the selects list these, and the
        portfolio has a row for each (the priorities marked `in_use`)."""
        lists = []
        for name in ("sector", "priority"):
            field = self.fields[name]
            offered = list(field.queryset)
            field.choices = [("", field.empty_label)] + [
                (choice.pk, field.label_from_instance(choice)) for choice in offered
            ]
            lists.append(offered)
        sectors, priorities = lists
        return sectors, priorities

    def filters(self) -> PortfolioFilters:
        """The filters that were given and are valid."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return PortfolioFilters.from_data(
            {name: cleaned.get(name) for name in ("sector", "priority", "area", "year")}
        )


RAG_CHOICES = [("", "All")] + list(Rating.choices) + [(NOT_RATED, "Not yet rated")]
