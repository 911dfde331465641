import pytest

PUBLIC_PAGES = [
    ("/", "Commissioning"),
    ("/framework/", "Commissioning Framework"),
    ("/framework/glossary/", "Glossary"),
    ("/accessibility/", "Accessibility statement"),
    ("/privacy/", "Privacy"),
    ("/cookies/", "Cookies"),
    ("/accounts/login/", "Sign in"),
    ("/accounts/signup/", "Create an account"),
]


@pytest.mark.django_db(transaction=True)
def test_public_pages_load_and_pass_axe(page, axe):
    for path, heading in PUBLIC_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert heading in page.locator("h1").first.inner_text(), path
        axe(page)


@pytest.mark.django_db(transaction=True)
def test_framework_page_lists_the_core_criteria(page):
    page.goto("/framework/")
    table = page.locator("table").first.inner_text()
    for criterion in ("Deliverability", "Value for Money", "Collaboration", "Sustainability"):
        assert criterion in table
