"""`make run` has no beat: `manage.py run_scheduled` does the schedule's work once."""

from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from config.celery_app import app
from procurement.models import OpportunityState
from tests.procurement.factories_opportunities import OpportunityFactory


def test_every_entry_of_the_beat_schedule_names_a_registered_task():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_it_closes_an_opportunity_past_its_deadline_and_says_what_it_ran(clock):
    opportunity = OpportunityFactory()
    clock.move_to(opportunity.closes_at)
    clock.shift(60)
    out = StringIO()

    call_command("run_scheduled", stdout=out)

    opportunity.refresh_from_db()
    assert opportunity.state == OpportunityState.CLOSED
    for entry_name in settings.CELERY_BEAT_SCHEDULE:
        assert f"{entry_name}: done" in out.getvalue()
    assert mail.outbox == []  # nothing was due to be sent
