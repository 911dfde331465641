"""Uploaded files checked by what they contain, not by what they are called.

A file's name and the browser's content type are whatever the sender says they are, so
the portal reads the first bytes (and, for Office and OpenDocument files, the list of
files inside the zip) to decide what a file is. `CheckedFileField` is the form field to
use for any upload (needs-assessment evidence, bid attachments, compliance documents):
it refuses anything else with a GOV.UK error message and renames the upload so its
extension matches its content.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

MEGABYTE = 1024 * 1024
MAX_UPLOAD_SIZE = 10 * MEGABYTE
_HEAD_BYTES = 8192
# Inner files read from a zip to tell its kind: never more than this, whatever it claims.
_ZIP_MEMBER_LIMIT = 256 * 1024
# Office and OpenDocument files are zips: what they unpack to is limited (settings
# UPLOAD_UNPACKED_MAX_SIZE and UPLOAD_UNPACKED_MAX_RATIO), so a small upload cannot expand
# to fill a disk or a memory when someone opens it (a "zip bomb").
_ZIP_CONTAINER_TYPES = frozenset({"docx", "xlsx", "odt", "ods"})
_ZIP_MAX_MEMBERS = 10_000
_ZIP_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extension: str
    content_type: str


FILE_TYPES: dict[str, FileType] = {
    file_type.key: file_type
    for file_type in (
        FileType("pdf", "PDF", ".pdf", "application/pdf"),
        FileType(
            "docx",
            "DOCX",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileType(
            "xlsx",
            "XLSX",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileType("odt", "ODT", ".odt", "application/vnd.oasis.opendocument.text"),
        FileType("ods", "ODS", ".ods", "application/vnd.oasis.opendocument.spreadsheet"),
        FileType("csv", "CSV", ".csv", "text/csv"),
        FileType("png", "PNG", ".png", "image/png"),
        FileType("jpeg", "JPEG", ".jpg", "image/jpeg"),
    )
}
# What the portal accepts for documents unless a form says otherwise.
DOCUMENT_TYPES: tuple[str, ...] = ("pdf", "docx", "xlsx", "odt", "csv", "png", "jpeg")

_OPENDOCUMENT_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")


def sniff_file_type(uploaded_file) -> str | None:
    """The key in FILE_TYPES of what the file contains, or None if it is none of them.

    Reads from the start of the file and puts the position back where it was. Office
    files with macros are not recognised, and nor is markup (HTML, SVG, XML) sent as text.
    """
    position = uploaded_file.tell() if hasattr(uploaded_file, "tell") else 0
    try:
        uploaded_file.seek(0)
        head = uploaded_file.read(_HEAD_BYTES)
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith(b"PK\x03\x04"):
            uploaded_file.seek(0)
            return _sniff_zip(uploaded_file)
        if _is_plain_text(head):
            return "csv"
        return None
    finally:
        uploaded_file.seek(position)


def _sniff_zip(uploaded_file) -> str | None:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            members = {info.filename: info for info in archive.infolist()}
            if any(name.lower().endswith("vbaproject.bin") for name in members):
                return None  # a macro-enabled Office file
            mimetype = members.get("mimetype")
            if mimetype is not None:
                if mimetype.file_size > 200:
                    return None
                return _OPENDOCUMENT_MIMETYPES.get(archive.read("mimetype").strip())
            content_types = members.get("[Content_Types].xml")
            if content_types is None or content_types.file_size > _ZIP_MEMBER_LIMIT:
                return None
            declared = archive.read("[Content_Types].xml").lower()
            if b"macroenabled" in declared:
                return None
            if "word/document.xml" in members:
                return "docx"
            if "xl/workbook.xml" in members:
                return "xlsx"
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        return None


def _is_plain_text(head: bytes) -> bool:
    """Text a spreadsheet can open: UTF-8 or Windows-1252, no control bytes, no markup."""
    if not head or head.startswith(_EXECUTABLE_SIGNATURES):
        return False
    if any(byte < 32 and byte not in (9, 10, 13) for byte in head):
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The first bytes may stop part-way through a character.
        if error.start < len(head) - 3:
            try:
                text = head.decode("cp1252")
            except UnicodeDecodeError:
                return False
        else:
            text = head[: error.start].decode("utf-8")
    text = text.lstrip("\ufeff \t\r\n")
    return bool(text) and not text.startswith("<")


def file_type_for_name(name: str) -> FileType | None:
    """The file type a stored file's extension stands for (stored names come from
    `CheckedFileField`, so the extension matches the content)."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".jpeg":
        suffix = ".jpg"
    return next((t for t in FILE_TYPES.values() if t.extension == suffix), None)


def describe_types(keys) -> str:
    """ "PDF, DOCX or CSV"."""
    labels = [FILE_TYPES[key].label for key in keys]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def describe_size(size: int) -> str:
    """ "10MB"."""
    return f"{size // MEGABYTE}MB" if size >= MEGABYTE else f"{max(size // 1024, 1)}KB"


def validate_upload(
    uploaded_file, *, allowed: tuple[str, ...] = DOCUMENT_TYPES, max_size: int = MAX_UPLOAD_SIZE
) -> FileType:
    """Check an upload's size and what it contains; return its type or raise ValidationError
    with the GOV.UK file upload messages."""
    if uploaded_file.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if uploaded_file.size > max_size:
        raise ValidationError(
            f"The selected file must be smaller than {describe_size(max_size)}", code="too_big"
        )
    key = sniff_file_type(uploaded_file)
    if key not in allowed:
        raise ValidationError(
            f"The selected file must be a {describe_types(allowed)}", code="file_type"
        )
    if key in _ZIP_CONTAINER_TYPES:
        _check_unpacked_size(uploaded_file)
    return FILE_TYPES[key]


def _check_unpacked_size(uploaded_file) -> None:
    """Refuse a zip container (an Office or OpenDocument file) that unpacks to more than
    UPLOAD_UNPACKED_MAX_SIZE, or (past a megabyte) to more than UPLOAD_UNPACKED_MAX_RATIO
    times its own size.

    The sizes a zip declares are checked first; then every file in it is unpacked, counting
    bytes and stopping at the limit, because a declared size may lie (Python's zipfile
    stops at the declared size and finds the lie in the checksum: refused too). Puts the
    file's position back where it was.
    """
    limit = settings.UPLOAD_UNPACKED_MAX_SIZE
    ratio_limit = settings.UPLOAD_UNPACKED_MAX_RATIO
    ceiling = min(limit, max(MEGABYTE, ratio_limit * uploaded_file.size))
    too_big = ValidationError(
        f"The selected file must open to less than {describe_size(limit)} and not expand to "
        "many times its size – upload a smaller file or a PDF",
        code="unpacks_too_big",
    )
    position = uploaded_file.tell()
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            members = archive.infolist()
            if len(members) > _ZIP_MAX_MEMBERS:
                raise too_big
            if sum(member.file_size for member in members) > ceiling:
                raise too_big
            unpacked = 0
            for member in members:
                with archive.open(member) as inner:
                    while chunk := inner.read(_ZIP_READ_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > ceiling:
                            raise too_big
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,  # a compression method Python does not read
    ) as error:
        raise ValidationError(
            "The selected file is damaged and cannot be opened – save it again and upload "
            "the new copy",
            code="damaged",
        ) from error
    finally:
        uploaded_file.seek(position)


class CheckedFileField(forms.FileField):
    """A file upload that accepts only the given types, judged by content, up to a size.

    The cleaned file's name is made safe and given the extension of what it really is,
    so `report.pdf` holding a Word document is stored and downloaded as `report.docx`.
    """

    widget = forms.FileInput

    def __init__(
        self,
        *,
        allowed: tuple[str, ...] = DOCUMENT_TYPES,
        max_size: int = MAX_UPLOAD_SIZE,
        **kwargs,
    ):
        self.allowed = allowed
        self.max_size = max_size
        kwargs.setdefault(
            "help_text",
            f"The file must be a {describe_types(allowed)} and smaller than "
            f"{describe_size(max_size)}",
        )
        super().__init__(**kwargs)
        self.error_messages.setdefault("required", "Select a file")
        self.error_messages["empty"] = "The selected file is empty"
        self.error_messages["invalid"] = "The selected file could not be uploaded – try again"
        self.error_messages["missing"] = "The selected file could not be uploaded – try again"
        # Only the extension is kept when the file is stored; a long name is not an error.
        self.max_length = None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        extensions = [FILE_TYPES[key].extension for key in self.allowed]
        if "jpeg" in self.allowed:
            extensions.append(".jpeg")
        attrs["accept"] = ",".join(extensions)
        # crispy-forms-gds styles ClearableFileInput but not the plain FileInput used here.
        attrs["class"] = "govuk-file-upload"
        return attrs

    def to_python(self, data):
        uploaded = super().to_python(data)
        if isinstance(uploaded, UploadedFile):
            file_type = validate_upload(uploaded, allowed=self.allowed, max_size=self.max_size)
            stem = PurePath(get_valid_filename(PurePath(uploaded.name).name)).stem or "file"
            uploaded.name = f"{stem[:80]}{file_type.extension}"
        return uploaded
