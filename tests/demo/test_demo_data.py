import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from commissioning.models import Area
from core.models import User
from providers.models import Membership, Organisation

DEMO_EMAILS = [
    "officer@example.org",
    "approver@example.org",
    "panel@example.org",
    "provider@example.org",
    "admin@example.org",
]


def _row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "areas": Area.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_twice_adds_no_duplicates():
    call_command("seed_demo")
    first = _row_counts()
    call_command("seed_demo")
    assert _row_counts() == first


@pytest.mark.django_db
def test_seed_demo_creates_the_district_and_its_organisations():
    call_command("seed_demo")
    area_names = set(Area.objects.filter(kind=Area.Kind.AREA).values_list("name", flat=True))
    assert {"Lancaster", "Morecambe", "Heysham", "Carnforth"} <= area_names
    assert Area.objects.filter(kind=Area.Kind.WARD).count() >= 20
    organisations = Organisation.objects.all()
    assert organisations.count() >= 12
    assert all(
        org.charity_number or org.company_number or org.legal_form in {"faith", "unincorporated"}
        for org in organisations
    )
    assert Organisation.objects.get(charity_number="1164883").org_id == "GB-CHC-1164883"
    assert Organisation.objects.get(company_number="7788123").org_id == "GB-COH-07788123"


@pytest.mark.django_db
@pytest.mark.parametrize("email", DEMO_EMAILS)
def test_demo_people_sign_in_with_the_demo_password(email):
    call_command("seed_demo")
    assert authenticate(email=email, password="commission-demo") is not None


@pytest.mark.django_db
def test_demo_provider_belongs_to_a_verified_organisation():
    call_command("seed_demo")
    provider = User.objects.get(email="provider@example.org")
    organisation = Organisation.objects.for_user(provider).get()
    assert organisation.is_verified


@pytest.mark.django_db
def test_seed_demo_refuses_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.filter(email="officer@example.org").exists()
