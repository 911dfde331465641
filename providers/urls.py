from django.urls import path

from providers import views

urlpatterns = [
    path("organisations/", views.ProviderHomeView.as_view(), name="provider_home"),
]
