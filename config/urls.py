from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

admin.site.site_header = "Commissioning portal administration"
admin.site.site_title = "Commissioning portal administration"
# The admin signs people in through allauth's page, so two-factor sign-in applies there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("", include("commissioning.urls")),
    path("", include("providers.urls")),
    path("", include("engagement.urls")),
    path("", include("procurement.urls")),
    path("", include("monitoring.urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
