"""The Commissioning Plan PDF: what is in it (read back with pypdf), how it is stored, and
that the download serves the stored file without ever rendering."""

import io
import re
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from commissioning import tasks
from commissioning.models import CommissioningPlan, PlanState
from commissioning.pdf import plan_pdf_render
from commissioning.selectors.plans import plan_public_get
from commissioning.services.plans import plan_pdf_store
from core.roles import Role
from tests.factories import PlanFactory, SpecificationFactory, UserFactory

S = PlanState


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _published(specifications: int = 2, **kwargs) -> CommissioningPlan:
    plan = PlanFactory(
        state=kwargs.pop("state", S.PUBLISHED),
        specifications=[
            SpecificationFactory(title=f"Service specification number {n}")
            for n in range(1, specifications + 1)
        ],
        **kwargs,
    )
    plan.published_at = timezone.now()
    plan.save()
    return plan


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.django_db
def test_the_pdf_has_a_cover_contents_every_specification_and_page_numbers():
    plan = _published(10, title="VCFS Commissioning Plan 2027 to 2030")
    spec = plan.specifications.first()
    spec.lots.create(name="Morecambe and Heysham", budget=30000)
    spec.service_criteria.create(name="Safeguarding", weight=15)
    reader = PdfReader(io.BytesIO(plan_pdf_render(plan=plan_public_get(slug=plan.slug))))
    text = _text(reader)

    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Lancaster City Council" in cover
    assert "VCFS Commissioning Plan 2027 to 2030" in cover
    assert "Voluntary, Community and Faith Sector" in cover
    assert "1 April 2027 to 31 March 2030" in cover
    assert "Page 1 of" in cover

    contents = " ".join(reader.pages[1].extract_text().split())
    assert "Contents" in contents
    assert "Service specification number 10" in contents
    # Each entry's page number follows its title, as read or copied.
    assert re.search(r"Purpose \d+ ", contents)
    assert re.search(r"Service specification number 10 \d+", contents)

    for n in range(1, 11):
        assert f"Service specification number {n}" in text
    assert "Service specification 10 of 10" in text  # each one starts its own page
    assert "Morecambe and Heysham" in text and "Safeguarding" in text
    assert "£600,000" in text  # ten budgets of £60,000
    # Each specification starts on a page of its own.
    opening = {}
    for number, page in enumerate(reader.pages):
        for found in re.findall(r"Service specification (\d+) of 10", page.extract_text()):
            opening[int(found)] = number
    assert sorted(opening) == list(range(1, 11))
    assert len(set(opening.values())) == 10
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in text
    # The running header carries the title from page 2.
    assert "VCFS Commissioning Plan 2027 to 2030" in reader.pages[2].extract_text()


@pytest.mark.django_db
def test_the_pdf_metadata_has_the_title_and_language_and_is_tagged():
    plan = _published(1, title="Arts Commissioning Plan 2027 to 2030")
    reader = PdfReader(io.BytesIO(plan_pdf_render(plan=plan_public_get(slug=plan.slug))))
    assert reader.metadata.title.startswith("Arts Commissioning Plan 2027 to 2030 (version 1)")
    assert reader.metadata.author == "Lancaster City Council"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged, as PDF/UA-1 asks
    assert root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]  # readers show the title


@pytest.mark.django_db
def test_the_task_stores_the_pdf_under_the_plans_address():
    plan = _published(1)
    with mock.patch("commissioning.pdf.plan_pdf_render", return_value=b"%PDF-1.7 made"):
        tasks.plan_pdf_generate(plan.pk)
        tasks.plan_pdf_generate(plan.pk)  # again: replaces, never plans/<slug>_x1y2.pdf
    plan.refresh_from_db()
    assert plan.pdf.name == f"plans/{plan.slug}.pdf"
    assert plan.pdf.read() == b"%PDF-1.7 made"


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.DRAFT, S.AWAITING_APPROVAL, S.APPROVED])
def test_unpublished_plans_get_no_pdf(state):
    plan = _published(1, state=state)
    with mock.patch("commissioning.pdf.plan_pdf_render") as render:
        tasks.plan_pdf_generate(plan.pk)
        with pytest.raises(ValidationError):
            plan_pdf_store(plan=plan)
    render.assert_not_called()
    plan.refresh_from_db()
    assert not plan.pdf


def _stored(plan: CommissioningPlan, content: bytes = b"%PDF-1.7 stored") -> CommissioningPlan:
    plan.pdf.save(f"{plan.slug}.pdf", ContentFile(content), save=False)
    CommissioningPlan.objects.filter(pk=plan.pk).update(pdf=plan.pdf.name)
    return plan


def _never_render():
    fail = mock.Mock(side_effect=AssertionError("rendered during a request"))
    return (
        mock.patch("weasyprint.HTML", fail),
        mock.patch("commissioning.pdf.plan_pdf_render", fail),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.PUBLISHED, S.SUPERSEDED])
def test_the_download_is_the_stored_file_and_never_renders(client, state):
    plan = _stored(_published(1, state=state))
    html_patch, render_patch = _never_render()
    with html_patch, render_patch:
        response = client.get(f"/plans/{plan.slug}.pdf")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.7 stored"
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{plan.slug}.pdf"'
        assert response["Cache-Control"] == "public, max-age=3600"
        last_modified = response["Last-Modified"]
        assert last_modified.endswith(" GMT")
        again = client.get(f"/plans/{plan.slug}.pdf", HTTP_IF_MODIFIED_SINCE=last_modified)
        assert again.status_code == 304


@pytest.mark.django_db
def test_a_pdf_not_made_yet_is_404_with_a_page_saying_so(client):
    plan = _published(1)
    html_patch, render_patch = _never_render()
    with html_patch, render_patch:
        response = client.get(f"/plans/{plan.slug}.pdf")
    assert response.status_code == 404
    page = response.content.decode()
    assert "The PDF is being prepared" in page and "Try again in a few minutes" in page
    assert f'href="/plans/{plan.slug}/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.DRAFT, S.AWAITING_APPROVAL, S.APPROVED])
@pytest.mark.parametrize("who", [None, Role.PROVIDER, Role.OFFICER])
def test_unpublished_plans_pdf_is_not_found_by_anyone(client, state, who):
    plan = _stored(_published(1, state=state))
    if who:
        client.force_login(UserFactory(roles=[who]))
    assert client.get(f"/plans/{plan.slug}.pdf").status_code == 404


@pytest.mark.django_db
def test_the_public_page_links_to_the_pdf_with_its_size(client):
    plan = _stored(_published(1), content=b"%PDF" + b"x" * 2044)
    page = client.get(f"/plans/{plan.slug}/").content.decode()
    assert f'href="/plans/{plan.slug}.pdf"' in page
    assert "Download the PDF" in page and "(PDF, 2.0\xa0KB)" in page
