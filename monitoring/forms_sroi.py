"""The SROI page's assumptions form (GET): every assumption of every outcome and the
discount rate, filled in with the values in use, so that changing any one of them and
pressing the button shows the ratio move. The values travel in the address, so a link
to a changed calculation can be shared; an address naming only some of them keeps the
others as they are."""

from decimal import Decimal

from django import forms
from django.http import QueryDict

from monitoring.sroi import Assumptions, OutcomeAssumptions, SroiResult

MAX_PERCENT = Decimal(100)
MAX_DISCOUNT_RATE = Decimal(20)
MAX_YEARS = 10


def _percent_field(label: str, what: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=MAX_PERCENT,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": f"Enter the {what} as a percentage, like 20",
            "invalid": f"The {what} must be a number, like 20",
            "min_value": f"The {what} must be between 0 and 100",
            "max_value": f"The {what} must be between 0 and 100",
            "max_digits": f"The {what} must be between 0 and 100",
            "max_whole_digits": f"The {what} must be between 0 and 100",
            "max_decimal_places": f"The {what} must have no more than 2 decimal places",
        },
    )


class SroiAssumptionsForm(forms.Form):
    """Built from a result worked out with the usual assumptions: a field for each of its
    outcomes' assumptions (named "<outcome key>-<assumption>") and one for the discount
    rate."""

    def __init__(self, query: QueryDict, *, result: SroiResult):
        self.result = result
        values = self.current_values(result)
        data = {name: query.get(name, value) for name, value in values.items()}
        super().__init__(data)
        self.fields["discount_rate"] = forms.DecimalField(
            label="Discount rate (% a year)",
            min_value=Decimal(0),
            max_value=MAX_DISCOUNT_RATE,
            max_digits=5,
            decimal_places=2,
            error_messages={
                "required": "Enter the discount rate as a percentage, like 3.5",
                "invalid": "The discount rate must be a number, like 3.5",
                "min_value": "The discount rate must be between 0 and 20",
                "max_value": "The discount rate must be between 0 and 20",
                "max_digits": "The discount rate must be between 0 and 20",
                "max_whole_digits": "The discount rate must be between 0 and 20",
                "max_decimal_places": "The discount rate must have no more than 2 decimal places",
            },
        )
        self.outcome_fields: list[tuple[object, list[str]]] = []
        for item in result.inputs:
            measure = item.measure
            names = []

            def add(name: str, field: forms.Field, names=names, key=item.key) -> None:
                self.fields[f"{key}-{name}"] = field
                names.append(f"{key}-{name}")

            add(
                "value",
                forms.DecimalField(
                    label=f"Value of one {item.proxy_unit} (£)",
                    min_value=Decimal(0),
                    max_digits=12,
                    decimal_places=2,
                    error_messages={
                        "required": f"Enter the value in pounds of one {item.proxy_unit} for "
                        f"{measure}, like 250",
                        "invalid": f"The value of one {item.proxy_unit} for {measure} must be "
                        "an amount in pounds, like 250",
                        "min_value": f"The value of one {item.proxy_unit} for {measure} must "
                        "be £0 or more",
                        "max_digits": f"The value of one {item.proxy_unit} for {measure} must "
                        "be less than £10,000,000,000",
                        "max_whole_digits": f"The value of one {item.proxy_unit} for {measure} "
                        "must be less than £10,000,000,000",
                        "max_decimal_places": f"The value of one {item.proxy_unit} for "
                        f"{measure} must be in pounds and pence, like 12.50",
                    },
                ),
            )
            add("deadweight", _percent_field("Deadweight (%)", f"deadweight for {measure}"))
            add("attribution", _percent_field("Attribution (%)", f"attribution for {measure}"))
            add(
                "displacement",
                _percent_field("Displacement (%)", f"displacement for {measure}"),
            )
            add(
                "duration_years",
                forms.IntegerField(
                    label="Duration (years)",
                    min_value=1,
                    max_value=MAX_YEARS,
                    error_messages={
                        "required": f"Enter how many years the outcome of {measure} lasts, like 3",
                        "invalid": f"How many years the outcome of {measure} lasts must be a "
                        "whole number, like 3",
                        "min_value": f"How many years the outcome of {measure} lasts must be "
                        f"between 1 and {MAX_YEARS}",
                        "max_value": f"How many years the outcome of {measure} lasts must be "
                        f"between 1 and {MAX_YEARS}",
                    },
                ),
            )
            add(
                "drop_off",
                _percent_field("Drop-off each year (%)", f"drop-off for {measure}"),
            )
            self.outcome_fields.append((item, names))

    @staticmethod
    def current_values(result: SroiResult) -> dict[str, str]:
        values = {"discount_rate": _plain(result.discount_rate)}
        for item in result.inputs:
            chosen = result.assumptions.outcomes[item.key]
            values[f"{item.key}-value"] = _plain(chosen.value)
            for name in ("deadweight", "attribution", "displacement", "drop_off"):
                values[f"{item.key}-{name}"] = _plain(getattr(chosen, name))
            values[f"{item.key}-duration_years"] = str(chosen.duration_years)
        return values

    def outcome_groups(self):
        """(outcome, its bound fields) for the template's fieldsets."""
        return [(item, [self[name] for name in names]) for item, names in self.outcome_fields]

    def assumptions(self) -> Assumptions:
        """The assumptions entered; call only once the form is valid."""
        data = self.cleaned_data
        return Assumptions(
            discount_rate=data["discount_rate"],
            outcomes={
                item.key: OutcomeAssumptions(
                    value=data[f"{item.key}-value"],
                    deadweight=data[f"{item.key}-deadweight"],
                    attribution=data[f"{item.key}-attribution"],
                    displacement=data[f"{item.key}-displacement"],
                    duration_years=data[f"{item.key}-duration_years"],
                    drop_off=data[f"{item.key}-drop_off"],
                )
                for item in self.result.inputs
            },
        )


def _plain(value: Decimal) -> str:
    """20 rather than 20.00; 12.5 rather than 12.50; never 1E+2."""
    text = f"{Decimal(value).normalize():f}"
    return text
