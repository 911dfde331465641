"""Who may do what under the Procurement Act 2023 pages: officers and approvers declare
their interests in an opportunity; officers (and administrators) record the conflicts
assessment and the Central Digital Platform notices, and read the late payments report."""

import rules

from core.rules import is_administrator, is_approver, is_officer

rules.add_perm("procurement.declare_officer_interests", is_officer | is_approver | is_administrator)
rules.add_perm("procurement.record_conflicts_assessment", is_officer | is_administrator)
rules.add_perm("procurement.manage_notices", is_officer | is_administrator)
