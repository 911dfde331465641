"""GOV.UK pagination on a long list shows the first and last pages, the current one and
its neighbours, with an ellipsis for each run of pages left out: a page of the register
of 5,000 awards carries a handful of links, not two hundred."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string

from core.templatetags.portal import pagination_items


def _page(number: int, pages: int):
    return Paginator(range(pages * 10), 10).page(number)


@pytest.mark.parametrize(
    ("number", "pages", "shown"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 200, [1, 2, None, 200]),
        (3, 200, [1, 2, 3, 4, None, 200]),
        (100, 200, [1, None, 99, 100, 101, None, 200]),
        (200, 200, [1, None, 199, 200]),
        (4, 7, [1, None, 3, 4, 5, None, 7]),
    ],
)
def test_the_pages_shown(number, pages, shown):
    assert pagination_items(_page(number, pages)) == shown


def test_a_long_list_has_a_few_links_and_ellipses():
    page = _page(100, 200)
    html = render_to_string(
        "includes/pagination.html",
        {
            "is_paginated": True,
            "page_obj": page,
            "paginator": page.paginator,
            "label": "Pages of award decisions",
            "filter_query": "q=lunch",
        },
    )
    assert html.count('class="govuk-pagination__item govuk-pagination__item--ellipses"') == 2
    assert html.count('aria-label="Page ') == 5
    assert 'href="?q=lunch&amp;page=100" aria-label="Page 100" aria-current="page"' in html
    assert 'href="?q=lunch&amp;page=101" rel="next"' in html
