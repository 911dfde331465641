"""Scaffolding: replaced by the real views."""

from django.http import Http404
from django.views import View


class BidFeedbackView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class DecisionListView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class DecisionDetailView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class DecisionFeed:
    def __call__(self, request, *args, **kwargs):
        raise Http404
