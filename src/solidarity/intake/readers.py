"""Turn pasted text or an uploaded file into plain text for extraction.

`read_text()` takes pasted text, `read_document()` one uploaded file (plain
text, HTML, PDF or Word .docx, recognised by its content with the file name as
a hint), and `expand_batch()` opens the zip archives of a batch into their
files without reading them. A file that cannot be read raises
`UnreadableDocument`, whose message is a sentence to show the documenter.

Text is returned with paragraphs separated by blank lines and whitespace
normalised. The limits below guard against huge files and zip bombs.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024  # larger files are refused
MAX_PDF_PAGES = 200  # pages read from a PDF; the rest are ignored
MAX_CHARS = 200_000  # characters of text kept; the rest is cut
MAX_ZIP_MEMBERS = 200  # files taken from one zip archive
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024  # uncompressed size of one zip archive

TEXT = "text/plain"
HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_MB = 1024 * 1024


class UnreadableDocument(ValueError):
    """A file or text that cannot be read; `str(exc)` is a sentence for the user.

    `code` says why, for callers that act on it: "empty", "too_large",
    "unsupported", "no_text", "damaged", "encrypted", "undecodable", "nested_zip",
    "too_many_files".
    """

    def __init__(self, message: str, *, code: str, name: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.name = name


@dataclass(frozen=True)
class Document:
    """The plain text of a document and what is known about it."""

    name: str
    text: str
    title: str
    published: datetime.date | None
    sha256: str
    content_type: str
    truncated: bool = False  # True when text was cut at MAX_CHARS


# --- public API -------------------------------------------------------------


def read_text(text: str, *, name: str = "") -> Document:
    """A Document from pasted text."""
    paragraphs = _split_paragraphs(text)
    return _document(
        name=name,
        data=text.encode("utf-8"),
        paragraphs=paragraphs,
        title="",
        published=None,
        content_type=TEXT,
        empty_message=_("The pasted text is empty."),
    )


def read_document(name: str, data: bytes) -> Document:
    """A Document from the bytes of an uploaded file; raises UnreadableDocument."""
    name = name.strip()
    label = name or _("The file")
    if not data:
        raise UnreadableDocument(_("%(name)s is empty.") % {"name": label}, code="empty", name=name)
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDocument(
            _("%(name)s is larger than %(limit)d MB; split it or paste the part that matters.")
            % {"name": label, "limit": MAX_FILE_BYTES // _MB},
            code="too_large",
            name=name,
        )
    ext = _extension(name)
    if _is_pdf(data):
        return _read_pdf(name, label, data)
    if _is_zip(data):
        return _read_zip_document(name, label, data, ext)
    if ext in (".pdf", ".docx") and not _looks_like_text(data):
        kind = "PDF" if ext == ".pdf" else "Word (.docx)"
        raise UnreadableDocument(
            _("%(name)s could not be read as a %(kind)s file: it may be damaged or incomplete.")
            % {"name": label, "kind": kind},
            code="damaged",
            name=name,
        )
    _refuse_known_binary(name, label, data)
    text = _decode(name, label, data)
    if _is_html(text, ext):
        return _read_html(name, label, data, text)
    return _document(
        name=name,
        data=data,
        paragraphs=_split_paragraphs(text),
        title="",
        published=None,
        content_type=TEXT,
        empty_message=_("%(name)s contains no text.") % {"name": label},
    )


def expand_batch(
    files: Iterable[tuple[str, bytes]],
) -> list[tuple[str, bytes | UnreadableDocument]]:
    """Open the zip archives of a batch into their files; other files pass as they are.

    Members are named "archive.zip/folder/a.txt". Directories, dotfiles and
    `__MACOSX` are skipped. Nested archives, members too large, members past
    MAX_ZIP_MEMBERS or MAX_ZIP_TOTAL_BYTES, and damaged archives become
    UnreadableDocument entries while the rest of the batch goes on.
    """
    out: list[tuple[str, bytes | UnreadableDocument]] = []
    for name, data in files:
        if _is_batch_archive(name, data):
            out.extend(_expand_zip(name, data))
        else:
            out.append((name, data))
    return out


# --- building the Document --------------------------------------------------


def _document(
    *,
    name: str,
    data: bytes,
    paragraphs: Iterable[str],
    title: str,
    published: datetime.date | None,
    content_type: str,
    empty_message: str,
) -> Document:
    text = "\n\n".join(p for p in (_clean_paragraph(p) for p in paragraphs) if p)
    if not text:
        raise UnreadableDocument(empty_message, code="no_text", name=name)
    truncated = len(text) > MAX_CHARS
    if truncated:
        text = text[:MAX_CHARS].rstrip()
    return Document(
        name=name,
        text=text,
        title=_clean_line(title),
        published=published,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type,
        truncated=truncated,
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[^\S\n]+")


def _clean_paragraph(paragraph: str) -> str:
    """NFC, no control characters, single spaces, no blank lines inside."""
    paragraph = unicodedata.normalize("NFC", paragraph)
    paragraph = paragraph.replace("\r\n", "\n").replace("\r", "\n")
    paragraph = paragraph.replace("\u2028", "\n").replace("\u2029", "\n")
    paragraph = _CONTROL.sub("", paragraph.replace("\t", " ").replace("\f", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in paragraph.split("\n"))
    return "\n".join(line for line in lines if line)


def _clean_line(text: str) -> str:
    return " ".join(_clean_paragraph(text or "").split())


def _split_paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return re.split(r"\n[^\S\n]*\n", text)


def _extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


# --- recognising the type ---------------------------------------------------


def _is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def _is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _unsupported(name: str, label: str, hint: str = "") -> UnreadableDocument:
    message = _("%(name)s is not a text, HTML, PDF or Word (.docx) file.") % {"name": label}
    return UnreadableDocument(f"{message} {hint}".strip(), code="unsupported", name=name)


def _refuse_known_binary(name: str, label: str, data: bytes) -> None:
    """Images, old Word files, executables and the like are refused by their magic bytes."""
    if data.startswith(_OLE):
        raise _unsupported(
            name, label, _("Save it as .docx or PDF in your word processor and upload it again.")
        )
    if data.lstrip()[:5] == b"{\\rtf":
        raise _unsupported(name, label, _("Save it as .docx or PDF and upload it again."))
    import filetype

    if filetype.guess(data[:8192]) is not None:
        raise _unsupported(name, label)


def _looks_like_text(data: bytes) -> bool:
    """Strictly decodable as UTF-8 or UTF-16/32 with a BOM, with no control characters."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return False
            return not _too_many_controls(text)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _too_many_controls(text)


_HTML_START = re.compile(
    r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"<(p|div|h[1-6]|br|body|article|section|span|a\s+href|meta|title|li|table)\b[^>]*>", re.I
)


def _is_html(text: str, ext: str) -> bool:
    if ext in (".html", ".htm", ".xhtml", ".shtml"):
        return True
    if _HTML_START.match(text[:4096]):
        return True
    return ext != ".txt" and len(_HTML_TAG.findall(text[:8192])) >= 3


# --- text encodings ---------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Single-byte Latin code pages that charset detection confuses on short
# Spanish or English texts; the project's languages make Windows-1252 the
# likely one of them (ñ, not ń).
_LATIN_SINGLE_BYTE = {
    codecs.lookup(e).name
    for e in (
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "latin_1",
        "iso8859_2",
        "iso8859_3",
        "iso8859_4",
        "iso8859_9",
        "iso8859_10",
        "iso8859_13",
        "iso8859_14",
        "iso8859_15",
        "iso8859_16",
        "mac_roman",
        "mac_latin2",
        "mac_iceland",
        "mac_turkish",
        "cp437",
        "cp850",
        "cp852",
        "cp858",
    )
}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _too_many_controls(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return controls > max(2, len(sample) // 200)


def _decode(name: str, label: str, data: bytes) -> str:
    """Decode text: BOM, declared HTML charset, UTF-8, GB18030, then detection."""
    text = _decode_guess(data)
    if text is None or _too_many_controls(text):
        if text is None and b"\x00" not in data[:8192]:
            raise UnreadableDocument(
                _(
                    "%(name)s could not be read: its character encoding was not recognised. "
                    "Save it as UTF-8 text and upload it again."
                )
                % {"name": label},
                code="undecodable",
                name=name,
            )
        raise _unsupported(name, label)
    return text


def _decode_guess(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    gb = _as_gb18030(data)
    if gb is not None:
        return gb

    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    encoding = codecs.lookup(best.encoding).name
    if encoding in _LATIN_SINGLE_BYTE:
        for latin in ("cp1252", "latin_1"):
            try:
                return data.decode(latin)
            except UnicodeDecodeError:
                continue
    return str(best)


def _as_gb18030(data: bytes) -> str | None:
    """Chinese in GB18030/GBK when its characters are mostly the common (GB2312) ones.

    Charset detection mistakes short Chinese texts for Korean or Japanese; a
    Spanish text in Windows-1252 decodes as GB18030 only into rare characters.
    """
    if b"\x00" in data:
        return None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if not _CJK.search(text):
        return None
    non_ascii = [c for c in text[:100_000] if ord(c) > 127]
    common = 0
    for c in non_ascii:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return text if common >= 0.9 * len(non_ascii) else None


# --- HTML -------------------------------------------------------------------

_DROP = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "form",
    "button",
    "select",
    "iframe",
    "svg",
    "canvas",
    "object",
    "embed",
]
_PAGE_CHROME = ("header", "footer")
_BLOCKS = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figcaption",
    "caption",
    "tr",
    "div",
    "section",
    "article",
    "main",
    "address",
    "table",
    "ul",
    "ol",
    "dl",
    "figure",
    "hr",
    "header",
    "footer",
    "body",
]
_PUBLISHED_META = set(
    [
        "article:published_time",
        "og:published_time",
        "article:published",
        "date",
        "dc.date",
        "dc.date.issued",
        "dc.date.created",
        "dcterms.date",
        "dcterms.issued",
        "dcterms.created",
        "citation_publication_date",
        "pubdate",
        "publishdate",
        "publish-date",
        "datepublished",
        "parsely-pub-date",
        "sailthru.date",
    ]
)
_PARA = "\u2029"


def _read_html(name: str, label: str, data: bytes, text: str) -> Document:
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(text, "html.parser")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ") if title_tag else ""
    if not title.strip():
        heading = soup.find(["h1", "h2"])
        title = heading.get_text(" ") if heading else ""
    published = _html_published(soup)

    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ["navigation", "banner", "contentinfo", "search"]}):
        tag.decompose()
    for tag in soup.find_all(_PAGE_CHROME):
        if not tag.find_parent(["article", "main"]):
            tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for head in soup.find_all("head"):
        head.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\u2028")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" ")
    for block in soup.find_all(_BLOCKS):
        block.insert_before(_PARA)
        block.insert_after(_PARA)

    # In HTML, line breaks in the source are spaces; <br> and blocks are the breaks.
    raw = soup.get_text().replace(_PARA + _PARA, _PARA)
    paragraphs = [
        re.sub(r"\s+", " ", part.replace("\u2028", "\x00")).replace("\x00", "\n")
        for part in raw.split(_PARA)
    ]
    return _document(
        name=name,
        data=data,
        paragraphs=paragraphs,
        title=title,
        published=published,
        content_type=HTML,
        empty_message=_("%(name)s contains no text.") % {"name": label},
    )


def _html_published(soup) -> datetime.date | None:
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED_META:
            found = _parse_date(meta.get("content") or "")
            if found:
                return found
    for tag in soup.find_all(attrs={"itemprop": "datePublished"}):
        found = _parse_date(tag.get("datetime") or tag.get("content") or tag.get_text())
        if found:
            return found
    return None


_ISO_DATE = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")


def _parse_date(value: str) -> datetime.date | None:
    match = _ISO_DATE.search(value.strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


# --- PDF --------------------------------------------------------------------


def _read_pdf(name: str, label: str, data: bytes) -> Document:
    from pypdf import PdfReader

    damaged = UnreadableDocument(
        _("%(name)s could not be read as a PDF file: it may be damaged or incomplete.")
        % {"name": label},
        code="damaged",
        name=name,
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(
                _("%(name)s is protected by a password; remove the protection and upload it again.")
                % {"name": label},
                code="encrypted",
                name=name,
            )
        count = min(len(reader.pages), MAX_PDF_PAGES)
        pages = [reader.pages[i].extract_text() or "" for i in range(count)]
    except UnreadableDocument:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on malformed files
        raise damaged from exc

    title, published = _pdf_metadata(reader)
    paragraphs: list[str] = []
    for page in pages:
        # A line wrapped inside a Chinese sentence is no break at all.
        page = _CJK_WRAP.sub("", page)
        paragraphs.extend(_split_paragraphs(page))
    if not any(p.strip() for p in paragraphs) and b"%%EOF" not in data[-2048:]:
        raise damaged
    return _document(
        name=name,
        data=data,
        paragraphs=paragraphs,
        title=title,
        published=published,
        content_type=PDF,
        empty_message=_(
            "%(name)s has no text layer: it may be a scanned image. "
            "Use a PDF with selectable text, or paste the text."
        )
        % {"name": label},
    )


_CJK_CHAR = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
_CJK_WRAP = re.compile(
    rf"(?<={_CJK_CHAR})(?<![\u3002\uff01\uff1f])[^\S\n]*\n[^\S\n]*(?={_CJK_CHAR})"
)


def _pdf_metadata(reader) -> tuple[str, datetime.date | None]:
    try:
        meta = reader.metadata
    except Exception:  # metadata is optional
        return "", None
    if not meta:
        return "", None
    try:
        title = str(meta.title or "")
    except Exception:
        title = ""
    try:
        created = meta.creation_date
    except Exception:  # malformed date strings raise
        created = None
    return title, created.date() if created else None


# --- zip containers: DOCX, and archives -------------------------------------


def _read_zip_document(name: str, label: str, data: bytes, ext: str) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        if ext == ".docx":
            raise _damaged_docx(name, label) from exc
        raise _unsupported(name, label) from exc
    if "word/document.xml" not in names:
        if ext == ".docx":
            raise _damaged_docx(name, label)
        if "[Content_Types].xml" in names or "mimetype" in names:
            raise _unsupported(name, label)
        raise _unsupported(name, label, _("Upload zip archives as a batch."))
    if sum(info.file_size for info in archive.infolist()) > MAX_ZIP_TOTAL_BYTES:
        raise UnreadableDocument(
            _("%(name)s is too large once uncompressed.") % {"name": label},
            code="too_large",
            name=name,
        )
    return _read_docx(name, label, data)


def _damaged_docx(name: str, label: str) -> UnreadableDocument:
    return UnreadableDocument(
        _("%(name)s could not be read as a Word (.docx) file: it may be damaged or incomplete.")
        % {"name": label},
        code="damaged",
        name=name,
    )


# python-docx's blank template carries this creation date; it says nothing.
_DOCX_TEMPLATE_CREATED = datetime.datetime(2013, 12, 23, 23, 15, tzinfo=datetime.UTC)


def _read_docx(name: str, label: str, data: bytes) -> Document:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        styled_title = ""
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                paragraphs.extend(_docx_table_rows(block))
                continue
            paragraphs.append(block.text)
            style = block.style.name if block.style is not None else ""
            if not styled_title and style in ("Title", "Heading 1") and block.text.strip():
                styled_title = block.text
        props = document.core_properties
        title = props.title or styled_title
        created = props.created
    except Exception as exc:  # python-docx and lxml raise many kinds on malformed files
        raise _damaged_docx(name, label) from exc
    published = None
    if isinstance(created, datetime.datetime) and created != _DOCX_TEMPLATE_CREATED:
        published = created.date()
    return _document(
        name=name,
        data=data,
        paragraphs=paragraphs,
        title=title,
        published=published,
        content_type=DOCX,
        empty_message=_("%(name)s contains no text.") % {"name": label},
    )


def _docx_table_rows(table) -> list[str]:
    """One paragraph per row, cells separated by " | " (merged cells once)."""
    rows = []
    for row in table.rows:
        seen = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        rows.append(" | ".join(cells))
    return rows


def _is_batch_archive(name: str, data: bytes) -> bool:
    """A zip to open: named .zip, or a zip that is not an office document."""
    if _extension(name) == ".zip":
        return True
    if not _is_zip(data):
        return False
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False  # read_document will say it is damaged
    return not ({"[Content_Types].xml", "mimetype"} & names)


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's path, with names from old Windows zips decoded as UTF-8 when they are."""
    member = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            member = member.encode("cp437").decode("utf-8")
    parts = [p for p in member.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return "/".join(parts)


def _expand_zip(name: str, data: bytes) -> list[tuple[str, bytes | UnreadableDocument]]:
    label = name or _("The archive")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return [
            (
                name,
                UnreadableDocument(
                    _("%(name)s could not be opened as a zip archive: it may be damaged.")
                    % {"name": label},
                    code="damaged",
                    name=name,
                ),
            )
        ]
    out: list[tuple[str, bytes | UnreadableDocument]] = []
    taken = 0
    total = 0
    for info in infos:
        member = _member_name(info)
        parts = member.split("/")
        if info.is_dir() or not member or any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        full = f"{name}/{member}"
        if taken >= MAX_ZIP_MEMBERS:
            out.append(
                (
                    name,
                    UnreadableDocument(
                        _(
                            "%(name)s holds more than %(limit)d files; "
                            "only the first %(limit)d were taken."
                        )
                        % {"name": label, "limit": MAX_ZIP_MEMBERS},
                        code="too_many_files",
                        name=name,
                    ),
                )
            )
            break
        taken += 1
        out.append((full, _read_member(archive, info, full, total)))
        if isinstance(out[-1][1], bytes):
            total += len(out[-1][1])
    return out


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, full: str, total: int
) -> bytes | UnreadableDocument:
    if _extension(full) == ".zip":
        return _nested(full)
    if info.flag_bits & 0x1:
        return UnreadableDocument(
            _("%(name)s is protected by a password.") % {"name": full}, code="encrypted", name=full
        )
    if info.file_size > MAX_FILE_BYTES:
        return _member_too_large(full)
    if total + info.file_size > MAX_ZIP_TOTAL_BYTES:
        return _archive_too_large(full)
    try:
        with archive.open(info) as member:
            # Declared sizes can lie: never read past the limit.
            content = member.read(MAX_FILE_BYTES + 1)
    except Exception:  # BadZipFile, zlib.error, unsupported compression, truncation
        return UnreadableDocument(
            _("%(name)s could not be taken from the archive: it may be damaged.") % {"name": full},
            code="damaged",
            name=full,
        )
    if len(content) > MAX_FILE_BYTES:
        return _member_too_large(full)
    if total + len(content) > MAX_ZIP_TOTAL_BYTES:
        return _archive_too_large(full)
    if _is_zip(content) and _is_batch_archive(full, content):
        return _nested(full)
    return content


def _nested(full: str) -> UnreadableDocument:
    return UnreadableDocument(
        _("%(name)s is an archive inside an archive; upload it on its own.") % {"name": full},
        code="nested_zip",
        name=full,
    )


def _member_too_large(full: str) -> UnreadableDocument:
    return UnreadableDocument(
        _("%(name)s is larger than %(limit)d MB once uncompressed.")
        % {"name": full, "limit": MAX_FILE_BYTES // _MB},
        code="too_large",
        name=full,
    )


def _archive_too_large(full: str) -> UnreadableDocument:
    return UnreadableDocument(
        _("%(name)s was not taken: the archive is larger than %(limit)d MB once uncompressed.")
        % {"name": full, "limit": MAX_ZIP_TOTAL_BYTES // _MB},
        code="too_large",
        name=full,
    )
