"""A Redis cache that keeps answering when Redis does not.

Sign-in's rate limiter (allauth's `ACCOUNT_RATE_LIMITS`) keeps its counts in the cache, so
a plain Redis cache turns a Redis outage into a 500 on `POST /accounts/login/`. This
backend falls back to a cache in the process's own memory while Redis cannot be reached:
the limiter keeps counting, per process, and django-axes keeps its lockouts in the
database, so sign-in stays throttled.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Once Redis has failed, the memory cache answers for this long before Redis is tried
# again, so that an outage costs one request a timeout, not every request.
RETRY_REDIS_AFTER_SECONDS = 30.0

# When Redis last failed, by server, for every cache instance in the process (Django makes
# one per thread).
_redis_down_until: dict[str, float] = {}
_lock = threading.Lock()


class RedisCacheWithFallback(RedisCache):
    """Django's Redis cache; while Redis cannot be reached (refused, timed out, or any other
    Redis error), a LocMemCache of the same name and key prefix answers instead, and a
    warning is logged once per outage window. Redis is tried again after
    RETRY_REDIS_AFTER_SECONDS.

    Set short `socket_connect_timeout` and `socket_timeout` OPTIONS so that finding Redis
    down costs milliseconds.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._server_key = server if isinstance(server, str) else ",".join(server)
        local_params = {
            name: value
            for name, value in params.items()
            if name in {"TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION"}
        }
        self._fallback = LocMemCache(f"redis-fallback:{self._server_key}", local_params)

    def _redis_is_down(self) -> bool:
        return time.monotonic() < _redis_down_until.get(self._server_key, 0.0)

    def _either(self, name: str, *args, **kwargs):
        if not self._redis_is_down():
            try:
                return getattr(super(), name)(*args, **kwargs)
            except RedisError as error:
                with _lock:
                    _redis_down_until[self._server_key] = (
                        time.monotonic() + RETRY_REDIS_AFTER_SECONDS
                    )
                logger.warning(
                    "The Redis cache could not be reached (%s): using this process's memory "
                    "for the next %d seconds",
                    error,
                    RETRY_REDIS_AFTER_SECONDS,
                )
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._either("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._either("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._either("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._either("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._either("incr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._either("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._either("delete_many", keys, version=version)

    def clear(self):
        return self._either("clear")
