"""The Commissioning Plan as a PDF, made with WeasyPrint.

Called only from the task that stores the file (`plan_pdf_store`): no page renders a PDF.
The output is tagged PDF/UA-1, with the document title and language from the HTML
(`<title>`, `<html lang="en-GB">`).
"""

import gc
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.models import CommissioningPlan
from commissioning.selectors.plans import plan_document

TEMPLATE = "commissioning/pdf/plan.html"


def plan_pdf_html(*, plan: CommissioningPlan) -> str:
    """The HTML the PDF is made from (a plan from `plan_public_get`)."""
    return render_to_string(
        TEMPLATE,
        {
            "document": plan_document(plan=plan),
            "plan": plan,
            "council": settings.COUNCIL,
            "service_name": settings.SERVICE_NAME,
            "generated_at": timezone.now(),
        },
    )


@contextmanager
def _no_cyclic_gc():
    """Python's cycle collector paused while WeasyPrint lays out and draws: it builds a box
    tree of hundreds of thousands of objects that live to the end of the render, which the
    collector would otherwise scan again and again (over a tenth of a 60-specification
    plan's render) to find almost nothing. Reference counting still frees what it can, the
    peak memory is the same, and the next collection after the render finds what is left."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plan_pdf_render(*, plan: CommissioningPlan) -> bytes:
    """The plan as PDF bytes."""
    import weasyprint  # imported here: it loads Pango and fonts, which pages never need

    html = plan_pdf_html(plan=plan)
    with _no_cyclic_gc():
        return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            pdf_variant="pdf/ua-1"
        )
