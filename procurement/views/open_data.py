"""Open data, for everyone: the page that says what is published, under which licence and
how often, and the files themselves (360Giving JSON, CSV and XLSX; the Transparency Code
registers of grants and of contracts). The files come from the cache
(`procurement.open_data.publish`), made again after anything they publish changes."""

from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views import View
from django.views.generic import TemplateView

from procurement.open_data.publish import FILES, open_data_file, open_data_summaries
from procurement.open_data.records import CONTRACT_THRESHOLD


def size_words(size: int) -> str:
    """ "850 bytes", "12 KB", "1.4 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class OpenDataView(TemplateView):
    """What is published, under which licence and how often, and each file with its size
    and when it last changed."""

    template_name = "procurement/open_data/open_data.html"

    def get_context_data(self, **kwargs):
        files = open_data_summaries()
        return super().get_context_data(
            files=[
                {"file": files[spec.name], "size": size_words(files[spec.name].size)}
                for spec in FILES
            ],
            awards=files["360giving.json"].rows,
            threshold=CONTRACT_THRESHOLD,
            **kwargs,
        )


class OpenDataFileView(View):
    """One file, with its last-changed time and an ETag so that a client asking again
    gets 304 Not Modified while it has not changed."""

    def get(self, request, name: str):
        try:
            published = open_data_file(name=name)
        except KeyError as error:
            raise Http404("No such file") from error
        last_modified = int(published.modified.timestamp()) if published.modified else None
        conditional = get_conditional_response(
            request, etag=published.etag, last_modified=last_modified
        )
        if conditional is not None:
            return conditional
        response = HttpResponse(published.content, content_type=published.spec.content_type)
        if not name.endswith(".json"):
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["ETag"] = published.etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        response["Access-Control-Allow-Origin"] = "*"
        patch_cache_control(response, public=True, max_age=300)
        return response
