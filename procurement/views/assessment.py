"""Scaffolding: replaced by the real views."""

from django.http import Http404
from django.views import View


class PanelView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ConflictResolveView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class MyAssessmentsView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class DeclarationView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ScoreView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ScoreSubmitView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class AssignmentConflictView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
