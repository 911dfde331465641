"""Role predicates shared by every app's object-level rules."""

import rules

from core.roles import Role

is_officer = rules.is_group_member(Role.OFFICER.value)
is_approver = rules.is_group_member(Role.APPROVER.value)
is_panel_member = rules.is_group_member(Role.PANEL_MEMBER.value)
is_provider_user = rules.is_group_member(Role.PROVIDER.value)
is_administrator = rules.is_group_member(Role.ADMINISTRATOR.value) | rules.is_superuser
is_council_staff = is_officer | is_approver | is_panel_member | is_administrator

rules.add_perm("core.view_staff_area", is_council_staff)
# Closing people's accounts on request, anonymising them (core.retention).
rules.add_perm("core.manage_personal_data", is_administrator)
