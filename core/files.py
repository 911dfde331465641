"""Uploaded files: safe stored names. Files are never served from a public media URL."""

import uuid
from pathlib import PurePath

from django.utils.text import get_valid_filename


def safe_storage_name(filename: str) -> str:
    """A random stored name keeping a cleaned extension; the original name is not trusted."""
    suffix = PurePath(get_valid_filename(PurePath(filename).name)).suffix.lower()[:10]
    return f"{uuid.uuid4().hex}{suffix}"
