"""An `in` lookup for integer fields that leaves out numbers the database cannot hold.

Django (since 5.0) answers `filter(pk=99999999999999999999)` with no rows, but not
`filter(pk__in=[...])`: SQLite raises OverflowError, so a crafted choice in any form with
a ModelMultipleChoiceField (priorities, themes, commissions...) answered 500 instead of
"Select a valid choice". No row has such an id, so leaving it out finds the same rows.
Registered for every IntegerField (ids included) in CoreConfig.ready().
"""

import copy

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if len(kept) != len(self.rhs):
                within = copy.copy(self)
                within.rhs = kept  # none left: In raises EmptyResultSet, so no rows
                return In.process_rhs(within, compiler, connection)
        return super().process_rhs(compiler, connection)


class RelatedExactWithinRange(RelatedExact):
    """`filter(opportunity_id=99999999999999999999)` finds no rows, as Django answers for
    an integer field's own `exact`, instead of raising OverflowError (SQLite) from a URL
    such as /assessment/opportunities/<a 25-digit number>/declare/."""

    def process_rhs(self, compiler, connection):
        value = self.rhs
        target = getattr(self.lhs.output_field, "target_field", None)
        if isinstance(value, int) and not isinstance(value, bool) and target is not None:
            kind = target.get_internal_type()
            if kind in connection.ops.integer_field_ranges:
                low, high = connection.ops.integer_field_range(kind)
                if (low is not None and value < low) or (high is not None and value > high):
                    raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(RelatedExactWithinRange)
