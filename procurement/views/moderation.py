"""Scaffolding: replaced by the real views."""

from django.http import Http404
from django.views import View


class ModerationView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ModerateBidView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class RankingView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class RecommendationView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
