"""An `in` lookup for integer fields that leaves out numbers the database cannot hold.

Django (since 5.0) answers `filter(pk=99999999999999999999)` with no rows, but not
`filter(pk__in=[...])`: SQLite raises OverflowError, so a crafted choice in any form with
a ModelMultipleChoiceField (priorities, themes, commissions...) answered 500 instead of
"Select a valid choice". No row has such an id, so leaving it out finds the same rows.
Registered for every IntegerField (ids included) in CoreConfig.ready().
"""

import copy

from django.db.models import IntegerField
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


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
