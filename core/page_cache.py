"""The public pages, as anonymous visitors see them, kept for a moment in the cache.

A council's public pages are read in bursts: the day an opportunity closes or decisions
are published, many people load the same few pages, and nothing on them changes between
one request and the next. `PublicPageCacheMiddleware` keeps the page as it was last
rendered for an anonymous visitor, for the views named in `settings.PUBLIC_PAGE_CACHE_VIEWS`,
and answers the same address with it until one of these happens:

- anything a public page could show changes: every save or delete of a model outside
  `_NOT_PUBLIC` (sessions, sign-in attempts, the outbox, notifications, the audit trail
  and history tables) moves the cache's *generation* on, once its transaction commits,
  and a page kept under an older generation is never served;
- the clock passes a minute: the key holds the current minute, so what depends on the
  time alone (an opportunity opening or closing, "due in 3 days") is never more than a
  minute behind, and a change made without a save (a bulk update) shows within a minute;
- `settings.PUBLIC_PAGE_CACHE_SECONDS` pass (a page not asked for is not kept).

Only what is the same for every anonymous visitor is kept: a GET or HEAD of an allowed view
answered 200, by someone not signed in, with no messages waiting for them, that set no
cookie, wrote nothing to a session and asked for no CSRF token. Each page's script nonce
(django-csp) is stored as a placeholder and the new request's nonce put back, so the
Content-Security-Policy still holds. Signed-in people always get the page made for them.

If the cache cannot be reached the page is rendered as usual. Pages are kept compressed
(a 100 KB page takes about 15 KB), and only for the minute, so what the cache holds is
bounded by how many pages the servers can make in a minute, whatever addresses are asked for.
"""

import hashlib
import logging
import zlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-page-cache:generation"
_NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Link")

# Saved or deleted all the time and never shown on a public page: they do not move the
# generation on.
_NOT_PUBLIC_APPS = frozenset(
    {
        "sessions",
        "axes",
        "admin",
        "contenttypes",
        "auth",
        "account",
        "mfa",
        "socialaccount",
        "usersessions",
        "django_fsm_log",
    }
)
_NOT_PUBLIC_MODELS = frozenset(
    {
        ("core", "attempted"),
        ("core", "outboxtask"),
        ("core", "email"),
        ("core", "notification"),
        ("core", "auditevent"),
        ("core", "personaldataevent"),
    }
)


def enabled() -> bool:
    return settings.PUBLIC_PAGE_CACHE_SECONDS > 0


def _shown_in_public(model) -> bool:
    meta = model._meta
    if meta.app_label in _NOT_PUBLIC_APPS or meta.model_name.startswith("historical"):
        return False
    return (meta.app_label, meta.model_name) not in _NOT_PUBLIC_MODELS


def generation_advance() -> None:
    """Every public page kept so far is out of date."""
    try:
        cache.add(GENERATION_KEY, 0, timeout=None)
        cache.incr(GENERATION_KEY)
    except Exception:  # noqa: BLE001 - a cache outage must never fail a save
        logger.warning("Could not move the public page cache on", exc_info=True)


def _changed(sender, using=None, **kwargs) -> None:
    if enabled() and _shown_in_public(sender):
        transaction.on_commit(generation_advance, using=using)


def _m2m_changed(sender, instance, action, using=None, **kwargs) -> None:
    if action.startswith("post_"):
        _changed(type(instance), using=using)


def changes_watch() -> None:
    """Move the generation on after every change a public page could show, in every process
    that saves (web, Celery worker, beat, management commands): CoreConfig.ready calls it,
    so a worker closing an opportunity ends the kept pages as a web request would."""
    post_save.connect(_changed, dispatch_uid="public_page_cache_save")
    post_delete.connect(_changed, dispatch_uid="public_page_cache_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="public_page_cache_m2m")


def _page_key(request) -> str:
    minute = timezone.now().strftime("%Y%m%d%H%M")
    # The scheme and host too: nothing made for one address of the site is served at another.
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"public-page-cache:page:{minute}:{address}"


def _nonce(request) -> bytes:
    """The request's script nonce, made now if the page has not asked for it yet."""
    return str(request.csp_nonce).encode()


class PublicPageCacheMiddleware:
    """Serve an allowed public page from the cache to anonymous visitors (module docstring).
    Last in MIDDLEWARE, so sessions, security headers and the CSP wrap a kept page as they
    wrap a rendered one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_public_page_key", None)
        if key is not None and self._keepable(request, response):
            self._keep(request, response, key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._cacheable_request(request):
            return None
        key = _page_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # noqa: BLE001 - render as usual when the cache is away
            logger.warning("Public page cache unreachable", exc_info=True)
            return None
        generation = found.get(GENERATION_KEY, 0)
        kept = found.get(key)
        if kept is not None and kept["generation"] == generation:
            return self._from_kept(request, kept)
        request._public_page_key = key
        request._public_page_generation = generation
        return None

    @staticmethod
    def _cacheable_request(request) -> bool:
        if not enabled() or request.method not in ("GET", "HEAD"):
            return False
        match = request.resolver_match
        if match is None or match.view_name not in settings.PUBLIC_PAGE_CACHE_VIEWS:
            return False
        if request.user.is_authenticated:
            return False
        return not len(messages.get_messages(request))

    @staticmethod
    def _keepable(request, response) -> bool:
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
        )

    @staticmethod
    def _keep(request, response, key) -> None:
        content = response.content
        nonce = getattr(request, "_csp_nonce", None)  # django-csp's, once the page used it
        if nonce:
            content = content.replace(nonce.encode(), _NONCE_PLACEHOLDER)
        kept = {
            "generation": request._public_page_generation,
            "content": zlib.compress(content, 1),
            "nonce": bool(nonce),
            "headers": {name: response[name] for name in _KEPT_HEADERS if name in response},
        }
        try:
            cache.set(key, kept, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001 - the page is answered all the same
            logger.warning("Could not keep a public page", exc_info=True)

    @staticmethod
    def _from_kept(request, kept) -> HttpResponse:
        content = zlib.decompress(kept["content"])
        if kept["nonce"]:
            content = content.replace(_NONCE_PLACEHOLDER, _nonce(request))
        response = HttpResponse(content)
        for name, value in kept["headers"].items():
            response[name] = value
        return response
