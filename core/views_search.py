"""One search across what the portal publishes, and staff records for staff (core.search)."""

from django.http import QueryDict
from django.views.generic import TemplateView

from core.search import search


class SearchView(TemplateView):
    """/search/?q=…&type=…&page=…: results grouped by type with their counts; a type
    narrows them to one type, a page at a time. Everyone may search; what they find is
    what they may read."""

    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        results = search(
            user=self.request.user,
            query=params.get("q", ""),
            kind=params.get("type", ""),
            page=params.get("page", "1"),
        )
        return super().get_context_data(
            results=results,
            type_links=_type_links(results),
            staff_types=any(group.source.staff_only for group in results.groups),
            filter_query=_query_string(q=results.query, kind=results.selected),
            all_query=_query_string(q=results.query),
            **kwargs,
        )


def _query_string(*, q: str, kind=None) -> str:
    query = QueryDict(mutable=True)
    query["q"] = q
    if kind is not None:
        query["type"] = kind.key
    return query.urlencode()


def _type_links(results) -> list[dict]:
    """The filters: every result, then each type with its count, public types first."""
    links = [
        {
            "label": "All results",
            "count": results.total,
            "href": f"?{_query_string(q=results.query)}",
            "current": results.selected is None,
            "staff_only": False,
        }
    ]
    for group in results.groups:
        links.append(
            {
                "label": group.source.label,
                "count": group.count,
                "href": f"?{_query_string(q=results.query, kind=group.source)}",
                "current": group.source is results.selected,
                "staff_only": group.source.staff_only,
            }
        )
    return links
