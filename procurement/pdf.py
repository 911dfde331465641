"""The agreement as a PDF, made with WeasyPrint when someone asks for it.

Tagged PDF/UA-1, with the document title and language from the HTML (`<title>`,
`<html lang="en-GB">`), like the Commissioning Plan (commissioning/pdf.py).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from procurement.models import Agreement
from procurement.selectors.agreements import agreement_terms_now

TEMPLATE = "procurement/pdf/agreement.html"


def agreement_pdf_html(*, agreement: Agreement) -> str:
    """The HTML the PDF is made from: every term, and who accepted it and when."""
    return render_to_string(
        TEMPLATE,
        {
            "agreement": agreement,
            "terms": agreement_terms_now(agreement=agreement),
            "organisation": agreement.organisation,
            "council": settings.COUNCIL,
            "service_name": settings.SERVICE_NAME,
            "generated_at": timezone.now(),
        },
    )


def agreement_pdf_render(*, agreement: Agreement) -> bytes:
    """The agreement as PDF bytes."""
    import weasyprint  # imported here: it loads Pango and fonts, which pages never need

    html = weasyprint.HTML(
        string=agreement_pdf_html(agreement=agreement), base_url=str(settings.BASE_DIR)
    )
    return html.write_pdf(pdf_variant="pdf/ua-1")
