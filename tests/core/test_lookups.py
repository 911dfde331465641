"""Numbers too big for the database find nothing, through a foreign key too."""

import pytest

from procurement.models import Bid, PanelMember

pytestmark = pytest.mark.django_db

TOO_BIG = 10**25


def test_a_foreign_key_compared_with_a_number_too_big_finds_nothing():
    assert not PanelMember.objects.filter(opportunity_id=TOO_BIG).exists()
    assert not PanelMember.objects.filter(opportunity=TOO_BIG).exists()
    assert not Bid.objects.filter(opportunity_id=-TOO_BIG).exists()


def test_a_panel_members_declaration_page_for_a_25_digit_opportunity_is_not_found(
    client, panel_member
):
    client.force_login(panel_member)

    response = client.get(f"/assessment/opportunities/{TOO_BIG}/declare/")

    assert response.status_code == 404
