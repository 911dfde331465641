from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group

from core.roles import Role


class AccountAdapter(DefaultAccountAdapter):
    """Self-registration is for providers: a new account joins the Provider user role."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            group, _ = Group.objects.get_or_create(name=Role.PROVIDER.value)
            user.groups.add(group)
        return user
