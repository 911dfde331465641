from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core.selectors import health_status


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers, even with the broker degraded; 503 without a database.

    The body says only "ok", "degraded" or "unavailable": the causes go to the log.
    """
    status = health_status()
    return JsonResponse(status, status=200 if status["database"] == "ok" else 503)


class AfterLoginView(LoginRequiredMixin, View):
    """Send staff to their dashboard and providers to their organisations."""

    def get(self, request: HttpRequest):
        if request.user.has_perm("core.view_staff_area"):
            return redirect("staff_home")
        return redirect("provider_home")


class StaticPageView(TemplateView):
    pass


def bad_request(request: HttpRequest, exception=None):
    """A crafted request (an id that is not one, a broken form): say nothing changed."""
    from django.shortcuts import render

    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception=None):
    from django.shortcuts import render

    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None):
    from django.shortcuts import render

    return render(request, "404.html", status=404)


def server_error(request: HttpRequest):
    """Rendered without context processors: the database may be what failed."""
    from django.conf import settings
    from django.http import HttpResponseServerError
    from django.template import loader

    context = {"council": settings.COUNCIL, "service_name": settings.SERVICE_NAME}
    return HttpResponseServerError(loader.get_template("500.html").render(context))
