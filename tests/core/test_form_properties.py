"""Property-based tests (issue 14) of the sign-up form: whatever someone types, the form answers
with its error summary or goes on, never 500, and the name it keeps is shown escaped to the
organisation the person joins and to the council. Strategies and checks: tests/hostile.py."""

import pytest
from django.contrib.auth import get_user_model
from hypothesis import event, example, given
from hypothesis import strategies as st

from core.roles import Role
from tests.factories import OrganisationFactory
from tests.hostile import MARKUP, answered, assert_shown_escaped, hostile_text, isolated, properties

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


@properties
@given(
    full_name=hostile_text(max_size=200),
    email=st.one_of(st.just("sam.smith@example.org"), hostile_text(max_size=60)),
    password=st.one_of(st.just(PASSWORD), hostile_text(max_size=60)),
)
@example(full_name=MARKUP[1], email="sam.smith@example.org", password=PASSWORD)
def test_sign_up_answers_hostile_input_and_shows_the_name_escaped(
    client, make_user, full_name, email, password
):
    with isolated():
        response = client.post(
            "/accounts/signup/",
            {"full_name": full_name, "email": email, "password1": password, "password2": password},
        )
        answered(response)
        event("signed up" if response.status_code == 302 else "refused")
        if response.status_code != 302:
            return
        person = get_user_model().objects.get(email__iexact=email.strip())
        organisation = OrganisationFactory(members=[person])
        client.force_login(person)
        page = client.get(f"/organisations/{organisation.pk}/")
        assert page.status_code == 200
        assert_shown_escaped(page.content.decode(), person.full_name)
        client.force_login(make_user(Role.OFFICER))
        staff_page = client.get(f"/staff/organisations/{organisation.pk}/")
        assert staff_page.status_code == 200
        assert_shown_escaped(staff_page.content.decode(), person.full_name)
        client.logout()
