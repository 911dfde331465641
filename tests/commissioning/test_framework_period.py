"""Framework periods as data: an administrator starts a new period (2026 to 2029) as a copy
of the framework in force; commissions opened in it use its priorities, themes and
criteria; the old period's published record stays as it was."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.models import (
    CommissioningPrinciple,
    CoreCriterion,
    CorporatePriority,
    CrossCuttingTheme,
    CycleStage,
    CycleStep,
    Framework,
    GlossaryTerm,
)
from commissioning.selectors.options import option_criteria_list
from commissioning.services.framework_periods import framework_period_start
from tests.factories import CommissionFactory, PlanFactory, SpecificationFactory

pytestmark = pytest.mark.django_db

OLD_PRIORITY = "Health and Well Being"
NEW_PRIORITY = "Healthy, connected lives"
NEW_CRITERION = "Social value and community wealth"


def _old() -> Framework:
    return Framework.objects.current()


def _counts(framework: Framework) -> dict[str, int]:
    counts = {
        model.__name__: model.objects.filter(framework=framework).count()
        for model in (
            CorporatePriority,
            CrossCuttingTheme,
            CommissioningPrinciple,
            CoreCriterion,
            CycleStage,
            GlossaryTerm,
        )
    }
    counts["CycleStep"] = CycleStep.objects.filter(stage__framework=framework).count()
    return counts


def _start_and_rename() -> Framework:
    """A new period, in which the administrator renames a priority and a criterion."""
    new = framework_period_start(period_start=2026, period_end=2029)
    CorporatePriority.objects.filter(framework=new, slug="health-and-well-being").update(
        name=NEW_PRIORITY
    )
    criterion = CoreCriterion.objects.filter(framework=new).order_by("order").first()
    criterion.name = NEW_CRITERION
    criterion.save()
    return new


def test_a_new_period_starts_as_a_copy_of_the_framework_in_force():
    old = _old()
    before = _counts(old)
    new = framework_period_start(period_start=2026, period_end=2029)
    old.refresh_from_db()
    assert Framework.objects.current() == new
    assert new.period == "2026 to 2029" and new.is_current and not old.is_current
    assert new.title == old.title and new.core_purpose == old.core_purpose
    assert _counts(new) == before  # every list copied ...
    assert _counts(old) == before  # ... and the old period's kept as it was
    weights = lambda f: list(  # noqa: E731
        CoreCriterion.objects.filter(framework=f).values_list("slug", "default_weight")
    )
    assert weights(new) == weights(old)
    assert not set(CorporatePriority.objects.filter(framework=new).values_list("pk", flat=True)) & (
        set(CorporatePriority.objects.filter(framework=old).values_list("pk", flat=True))
    )


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (2029, 2026, "period_end", "The last year must be the same as or after the first year"),
        (2012, 2015, "period_start", "The first year must be after 2012"),
    ],
)
def test_a_period_must_be_later_and_end_after_it_starts(start, end, field, message):
    with pytest.raises(ValidationError) as error:
        framework_period_start(period_start=start, period_end=end)
    assert message in " ".join(error.value.message_dict[field])
    assert Framework.objects.count() == 1


def test_an_old_published_plan_still_shows_its_old_priorities(client):
    old_priority = CorporatePriority.objects.get(framework=_old(), slug="health-and-well-being")
    commission = CommissionFactory(priorities=[old_priority])
    specification = SpecificationFactory(commission=commission)
    plan = PlanFactory(state="published", specifications=[specification])
    _start_and_rename()

    page = client.get(plan.get_absolute_url()).content.decode()
    assert OLD_PRIORITY in page
    assert NEW_PRIORITY not in page
    # The public framework page is the new period's.
    page = client.get(reverse("framework")).content.decode()
    assert "2026 to 2029" in page
    assert NEW_PRIORITY in page


def test_commissions_opened_in_the_new_period_use_its_priorities_and_criteria(client, officer):
    old_commission = CommissionFactory(state="planning", lead_officer=officer)
    new = _start_and_rename()
    client.force_login(officer)

    form = client.get(reverse("commission_create")).context["form"]
    assert {p.framework_id for p in form.fields["priorities"].queryset} == {new.pk}
    assert {t.framework_id for t in form.fields["themes"].queryset} == {new.pk}
    page = client.get(reverse("commission_create")).content.decode()
    assert NEW_PRIORITY in page and OLD_PRIORITY not in page

    # A commission opened before keeps the priorities and criteria of its own period.
    edit = client.get(reverse("commission_update", kwargs={"pk": old_commission.pk}))
    assert edit.status_code == 200
    assert {p.framework_id for p in edit.context["form"].fields["priorities"].queryset} == {
        old_commission.priorities.first().framework_id
    }
    old_criteria = option_criteria_list(commission=old_commission)
    assert NEW_CRITERION not in [criterion.name for criterion in old_criteria]
    page = client.get(reverse("options_appraisal", kwargs={"pk": old_commission.pk}))
    assert NEW_CRITERION not in page.content.decode()

    new_priority = CorporatePriority.objects.get(framework=new, slug="health-and-well-being")
    new_commission = CommissionFactory(priorities=[new_priority], lead_officer=officer)
    new_criteria = option_criteria_list(commission=new_commission)
    assert NEW_CRITERION in [criterion.name for criterion in new_criteria]
    assert {criterion.framework_id for criterion in new_criteria} == {new.pk}


# --- The administrators' pages ----------------------------------------------------------------


def test_an_administrator_starts_a_new_period_from_the_staff_pages(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("framework_periods")).content.decode()
    assert "2012 to 2015" in page and "In force" in page

    form = client.get(reverse("framework_period_start"))
    # The 2012 to 2015 period has passed: the new one is offered from this year (the clock's).
    assert form.context["form"].initial["period_start"] == 2026
    assert form.context["form"].initial["period_end"] == 2029

    response = client.post(
        reverse("framework_period_start"),
        {"title": "Commissioning Framework", "period_start": "2026", "period_end": "2029"},
        follow=True,
    )
    page = response.content.decode()
    assert "The 2026 to 2029 framework is now in force" in page
    assert "Earlier period" in page
    assert Framework.objects.current().period == "2026 to 2029"


def test_the_period_form_says_what_is_wrong(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("framework_period_start"), {"title": "", "period_start": "twenty", "period_end": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the title of the framework" in page
    assert "The first year must be a year in numbers, like 2026" in page
    assert "Enter the last year, like 2026" in page
    response = client.post(
        reverse("framework_period_start"),
        {"title": "Framework", "period_start": "2012", "period_end": "2014"},
    )
    assert "The first year must be after 2012" in response.content.decode()
    assert Framework.objects.count() == 1


def test_administrators_find_the_periods_on_the_staff_page(client, administrator, officer):
    client.force_login(administrator)
    assert reverse("framework_periods") in client.get(reverse("staff_home")).content.decode()
    client.force_login(officer)
    assert reverse("framework_periods") not in client.get(reverse("staff_home")).content.decode()


def test_an_earlier_period_stays_published_as_it_was(client):
    old = _old()
    _start_and_rename()
    page = client.get(reverse("framework")).content.decode()
    old_url = reverse("framework_period", kwargs={"slug": old.slug})
    assert old_url in page
    page = client.get(old_url).content.decode()
    assert "This framework was in force from 2012 to 2015" in page
    assert OLD_PRIORITY in page and NEW_PRIORITY not in page
    assert client.get("/framework/periods/no-such-period/").status_code == 404
