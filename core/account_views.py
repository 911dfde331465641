"""Your account: the signed-in person's sign-in settings (password, two-factor sign-in)."""

from allauth.mfa.models import Authenticator
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from core.mfa import SIGN_IN_FACTORS, mfa_required
from core.sessions import session_idle_seconds


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "core/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        types = set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
        return super().get_context_data(
            mfa_on=bool(types & set(SIGN_IN_FACTORS)),
            has_recovery_codes=Authenticator.Type.RECOVERY_CODES in types,
            mfa_required=mfa_required(user),
            idle_minutes=session_idle_seconds(user) // 60,
            **kwargs,
        )
