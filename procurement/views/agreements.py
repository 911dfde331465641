"""Scaffolding: replaced by the real views."""

from django.http import Http404
from django.views import View


class MyAgreementsView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class AgreementDetailView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class AgreementAcceptView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class AgreementPdfView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class AgreementVersionView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class VariationProposeView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class VariationDetailView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class VariationTransitionView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class StaffAgreementListView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class AgreementEditView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class PaymentScheduleView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class AgreementTransitionView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
