"""The partner finder on a bid's partners step (the framework's "Working Together"): the
lead bidder finds organisations that offer to be found for consortium bids, by what they
offer and where, and adds one through the step's own form."""

from dataclasses import dataclass

from procurement.models import Bid
from providers.forms_partnering import PartnerFinderForm
from providers.selectors import partners_findable


@dataclass
class PartnerFinder:
    form: PartnerFinderForm
    searched: bool
    results: list


def partner_finder_get(*, request, bid: Bid) -> PartnerFinder:
    """The finder's form from the query string (`offer`, `area`) and, once searched, the
    organisations that match: never the lead nor one already a partner."""
    searched = "offer" in request.GET or "area" in request.GET
    form = PartnerFinderForm(request.GET if searched else None)
    results: list = []
    if searched and form.is_valid():
        results = partners_findable(
            offer=form.cleaned_data["offer"].replace("\x00", "").strip(),
            area=form.cleaned_data["area"],
            exclude=[bid.organisation_id, *bid.partners.values_list("organisation_id", flat=True)],
        )
    return PartnerFinder(form=form, searched=searched, results=results)
