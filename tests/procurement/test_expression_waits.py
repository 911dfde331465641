"""A two-stage opportunity not open yet says when expressions of interest can be sent: from
its opening until the stage's deadline, each with its date and time."""

import re
from html import unescape

import pytest

from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import member
from tests.procurement.factories_expressions import two_stage_opportunity
from tests.procurement.factories_opportunities import at

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    main = re.search(r"<main\b.*?</main>", response.content.decode(), re.S).group(0)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_the_start_page_before_the_stage_opens_says_when_it_opens_and_closes(client):
    opportunity = two_stage_opportunity(opens_at=at(3, 9))
    organisation = OrganisationFactory()
    client.force_login(member(organisation))

    page = text_of(client.get(f"/opportunities/{opportunity.slug}/interest/"))

    assert (
        "Expressions of interest can be sent from 9am on 29 November 2026 until 5pm on "
        "3 December 2026." in page
    )
