"""Permission matrix rows for sitemap.xml and robots.txt: everyone."""

from tests.matrix import Row, everyone

ROWS = [
    Row("core:sitemap", "/sitemap.xml", everyone(200)),
    Row("core:robots_txt", "/robots.txt", everyone(200)),
]
