"""An agreement's PDF is made once for each version of the agreement and kept in file
storage: asking for it again serves the stored file without rendering it again; a change
to what the agreement says makes a new one."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from procurement import pdf
from procurement.models import AgreementState
from tests.procurement.factories_agreements import agreement_made

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts the times WeasyPrint is asked to make the agreement's PDF."""
    made = []
    render = pdf.agreement_pdf_render

    def counted(**kwargs):
        made.append(kwargs["agreement"].pk)
        return render(**kwargs)

    monkeypatch.setattr(pdf, "agreement_pdf_render", counted)
    return made


def _download(client, agreement) -> bytes:
    response = client.get(f"/agreements/{agreement.pk}/agreement.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{agreement.reference}.pdf"'
    return response.content


def test_the_pdf_is_rendered_once_per_version_and_served_from_storage(client, renders):
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    client.force_login(made.officer)

    first = _download(client, agreement)
    second = _download(client, agreement)

    assert first.startswith(b"%PDF") and second == first
    assert renders == [agreement.pk]
    name = pdf.agreement_pdf_name(agreement=agreement)
    assert default_storage.exists(name)
    assert f"-v{agreement.version}-" in name

    agreement.version += 1
    agreement.purpose = "Advice sessions in Heysham as well as Morecambe."
    agreement.save()
    third = _download(client, agreement)

    assert third.startswith(b"%PDF") and third != first
    assert renders == [agreement.pk, agreement.pk]
    assert pdf.agreement_pdf_name(agreement=agreement) != name


def test_the_name_depends_on_what_the_agreement_says_not_when_it_is_asked(clock):
    agreement = agreement_made(state=AgreementState.ISSUED).agreement
    before = pdf.agreement_pdf_name(agreement=agreement)
    clock.shift(dt.timedelta(days=3))
    assert pdf.agreement_pdf_name(agreement=agreement) == before
