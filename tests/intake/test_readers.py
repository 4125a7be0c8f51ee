"""Reading uploaded documents into plain text: real files, built here, of each kind."""

import datetime
import hashlib
import io
import zipfile

import docx
import pytest
import weasyprint

from solidarity.intake import readers
from solidarity.intake.readers import (
    DOCX,
    HTML,
    PDF,
    TEXT,
    UnreadableDocument,
    expand_batch,
    read_document,
    read_text,
)

ZH = (
    "2024年1月29日，北京的妇女权益中心被当局强制关闭。"
    "中心负责人安娜（Ana Example）表示，警察搜查了办公室并带走了文件。"
)
ES = (
    "La defensora Ana Example fue detenida en Bogotá el 3 de marzo. "
    "Según la organización Defender Org Example, la policía allanó su oficina "
    "y confiscó documentos. Exigimos su liberación inmediata."
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def make_pdf(body: str, *, title: str = "", created: str = "") -> bytes:
    head = f"<title>{title}</title>" if title else ""
    if created:
        head += f'<meta name="dcterms.created" content="{created}">'
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def make_docx(*, title: str = "", with_table: bool = True) -> bytes:
    document = docx.Document()
    document.add_heading("Statement on Defender Org Example", level=1)
    document.add_paragraph("Ana Example, a lawyer, was detained on 3 March 2024.")
    if with_table:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Name"
        table.cell(0, 1).text = "Ana Example"
        table.cell(1, 0).text = "Role"
        table.cell(1, 1).text = "Lawyer"
    document.add_paragraph("We call for her release.")
    document.core_properties.title = title
    document.core_properties.created = datetime.datetime(2024, 3, 5, 9, 0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


# --- pasted text ----------------------------------------------------------


def test_pasted_text_is_read_with_paragraphs_and_whitespace_normalised():
    doc = read_text("  First\tparagraph   here.\r\n\r\n\r\n\n Second\u00a0one. \n", name="")
    assert doc.text == "First paragraph here.\n\nSecond one."
    assert doc.content_type == TEXT
    assert doc.title == ""
    assert doc.published is None


def test_empty_pasted_text_is_refused():
    with pytest.raises(UnreadableDocument) as exc:
        read_text("  \n\n \t ")
    assert exc.value.code == "no_text"
    assert "empty" in str(exc.value)


def test_text_over_the_character_limit_is_cut(monkeypatch):
    monkeypatch.setattr(readers, "MAX_CHARS", 50)
    doc = read_text("word " * 100)
    assert len(doc.text) <= 50
    assert doc.truncated


# --- text files in several encodings -------------------------------------


def test_a_utf8_text_file_is_read():
    data = ES.encode("utf-8")
    doc = read_document("appeal.txt", data)
    assert doc.text == ES
    assert doc.content_type == TEXT
    assert doc.name == "appeal.txt"


def test_a_utf16_text_file_with_a_bom_is_read():
    doc = read_document("appeal.txt", ZH.encode("utf-16"))
    assert doc.text == ZH


def test_a_chinese_text_file_in_gb18030_is_read():
    doc = read_document("声明.txt", ZH.encode("gb18030"))
    assert doc.text == ZH


def test_a_short_chinese_text_file_in_gbk_is_read():
    doc = read_document("short.txt", "北京律师被拘留。".encode("gbk"))
    assert doc.text == "北京律师被拘留。"


def test_a_spanish_text_file_in_windows_1252_keeps_its_accents():
    doc = read_document("llamamiento.txt", (ES + " Año, señora, ¿acción?").encode("cp1252"))
    assert "Bogotá" in doc.text
    assert "Según" in doc.text
    assert "Año, señora, ¿acción?" in doc.text


def test_a_short_spanish_text_in_latin_1_keeps_its_enye():
    doc = read_document("nota.txt", "Bogotá, señora.".encode("latin-1"))
    assert doc.text == "Bogotá, señora."


def test_the_sha256_is_of_the_original_bytes():
    data = ES.encode("cp1252")
    assert read_document("a.txt", data).sha256 == hashlib.sha256(data).hexdigest()


def test_an_empty_file_is_refused_with_a_clear_message():
    with pytest.raises(UnreadableDocument) as exc:
        read_document("blank.txt", b"")
    assert exc.value.code == "empty"
    assert str(exc.value) == "blank.txt is empty."


def test_a_file_of_whitespace_only_has_no_text():
    with pytest.raises(UnreadableDocument) as exc:
        read_document("blank.txt", b" \n\n\t \r\n")
    assert exc.value.code == "no_text"
    assert "blank.txt" in str(exc.value)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1024)
    with pytest.raises(UnreadableDocument) as exc:
        read_document("big.txt", b"a" * 2048)
    assert exc.value.code == "too_large"


def test_random_binary_bytes_are_refused_as_unsupported():
    data = bytes(range(256)) * 40
    with pytest.raises(UnreadableDocument) as exc:
        read_document("mystery.bin", data)
    assert exc.value.code in ("unsupported", "undecodable")


# --- HTML -----------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Defender detained &amp; office raided</title>
<meta property="article:published_time" content="2024-03-04T10:15:00+00:00">
<style>p { color: red }</style>
<script>var tracking = "should not appear";</script>
</head>
<body>
<header><a href="/">Site menu header</a></header>
<nav><ul><li>Home</li><li>About</li></ul></nav>
<article>
  <header><h1>Ana Example detained</h1></header>
  <p>Ana Example, a   lawyer,
     was detained on 3 March.</p>
  <p>Police raided the office of <b>Defender Org Example</b> &ndash; &quot;an attack&quot;.</p>
  <ul><li>First demand</li><li>Second demand</li></ul>
  <p>Line one<br>Line two</p>
</article>
<aside>Related stories</aside>
<form><input name="q"><button>Search</button></form>
<footer>Copyright footer</footer>
<script>alert("no")</script>
</body></html>
"""


def test_html_keeps_paragraphs_headings_and_list_items_and_drops_page_chrome():
    doc = read_document("article.html", PAGE.encode("utf-8"))
    assert doc.content_type == HTML
    assert doc.text.split("\n\n") == [
        "Ana Example detained",
        "Ana Example, a lawyer, was detained on 3 March.",
        'Police raided the office of Defender Org Example \u2013 "an attack".',
        "First demand",
        "Second demand",
        "Line one\nLine two",
    ]
    for dropped in ("tracking", "Site menu", "Home", "Related", "Search", "Copyright", "color"):
        assert dropped not in doc.text


def test_html_title_and_published_date_come_from_the_head():
    doc = read_document("article.html", PAGE.encode("utf-8"))
    assert doc.title == "Defender detained & office raided"
    assert doc.published == datetime.date(2024, 3, 4)


def test_html_is_recognised_by_its_tags_whatever_its_name():
    doc = read_document("download", PAGE.encode("utf-8"))
    assert doc.content_type == HTML


def test_html_without_title_uses_the_first_heading_and_dc_date():
    page = (
        '<html><head><meta name="DC.date" content="2023-11-30"></head>'
        "<body><h1>Urgent appeal</h1><p>Text.</p></body></html>"
    )
    doc = read_document("appeal.htm", page.encode())
    assert doc.title == "Urgent appeal"
    assert doc.published == datetime.date(2023, 11, 30)


def test_html_in_gbk_declared_in_a_meta_tag_is_read():
    page = f'<html><head><meta charset="gbk"></head><body><p>{ZH}</p></body></html>'
    doc = read_document("zh.html", page.encode("gbk"))
    assert doc.text == ZH


# --- PDF --------------------------------------------------------------------


def test_a_pdf_is_read_with_its_text_and_metadata():
    data = make_pdf(
        "<h1>Urgent appeal</h1><p>Ana Example was detained in Bogotá.</p>"
        "<p>Defender Org Example calls for her release.</p>",
        title="Appeal for Ana Example",
        created="2024-03-05",
    )
    doc = read_document("appeal.pdf", data)
    assert doc.content_type == PDF
    assert "Ana Example was detained in Bogotá." in doc.text
    assert "Defender Org Example calls for her release." in doc.text
    assert doc.title == "Appeal for Ana Example"
    assert doc.published == datetime.date(2024, 3, 5)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_chinese_text_in_a_pdf_round_trips_with_its_wrapped_lines_joined():
    sentence = "北京的妇女权益中心被当局强制关闭，中心负责人表示警察搜查了办公室并带走了全部文件"
    long_zh = "，".join([sentence] * 4) + "。"
    doc = read_document("声明.pdf", make_pdf(f"<p>{long_zh}</p><p>第二段。</p>"))
    assert doc.text == f"{long_zh}\n第二段。"


def test_a_pdf_is_recognised_by_its_content_whatever_its_name():
    doc = read_document("appeal.txt", make_pdf("<p>Ana Example was detained.</p>"))
    assert doc.content_type == PDF


def test_only_the_first_pages_of_a_long_pdf_are_read(monkeypatch):
    monkeypatch.setattr(readers, "MAX_PDF_PAGES", 1)
    body = '<p>Page one text.</p><p style="break-before: page">Page two text.</p>'
    doc = read_document("long.pdf", make_pdf(body))
    assert "Page one text." in doc.text
    assert "Page two text." not in doc.text


def test_a_pdf_without_a_text_layer_says_so():
    with pytest.raises(UnreadableDocument) as exc:
        read_document("scan.pdf", make_pdf(""))
    assert exc.value.code == "no_text"
    assert "no text layer" in str(exc.value)


def test_a_truncated_pdf_is_refused_as_damaged():
    data = make_pdf("<p>Ana Example was detained.</p>" * 20)
    with pytest.raises(UnreadableDocument) as exc:
        read_document("cut.pdf", data[: len(data) // 3])
    assert exc.value.code == "damaged"
    assert "cut.pdf" in str(exc.value)


def test_garbage_named_pdf_is_refused_as_damaged():
    with pytest.raises(UnreadableDocument) as exc:
        read_document("fake.pdf", bytes(range(256)) * 4)
    assert exc.value.code == "damaged"


# --- DOCX -------------------------------------------------------------------


def test_a_docx_is_read_with_paragraphs_tables_title_and_date():
    data = make_docx(title="Statement by Defender Org Example")
    doc = read_document("statement.docx", data)
    assert doc.content_type == DOCX
    assert doc.text.split("\n\n") == [
        "Statement on Defender Org Example",
        "Ana Example, a lawyer, was detained on 3 March 2024.",
        "Name | Ana Example",
        "Role | Lawyer",
        "We call for her release.",
    ]
    assert doc.title == "Statement by Defender Org Example"
    assert doc.published == datetime.date(2024, 3, 5)


def test_a_docx_without_core_title_uses_its_first_heading():
    doc = read_document("statement.docx", make_docx(with_table=False))
    assert doc.title == "Statement on Defender Org Example"


def test_a_docx_is_recognised_by_its_content_whatever_its_name():
    doc = read_document("statement", make_docx())
    assert doc.content_type == DOCX


def test_a_truncated_docx_is_refused_as_damaged():
    data = make_docx()
    with pytest.raises(UnreadableDocument) as exc:
        read_document("broken.docx", data[: len(data) // 2])
    assert exc.value.code == "damaged"
    assert "broken.docx" in str(exc.value)


def test_a_docx_with_broken_xml_is_refused_as_damaged():
    source = zipfile.ZipFile(io.BytesIO(make_docx()))
    members = {name: source.read(name) for name in source.namelist()}
    members["word/document.xml"] = b"<w:document><not closed"
    with pytest.raises(UnreadableDocument) as exc:
        read_document("broken.docx", make_zip(members))
    assert exc.value.code == "damaged"


# --- unsupported kinds ------------------------------------------------------


def test_a_png_image_is_refused_as_unsupported():
    with pytest.raises(UnreadableDocument) as exc:
        read_document("photo.png", PNG)
    assert exc.value.code == "unsupported"
    assert str(exc.value) == "photo.png is not a text, HTML, PDF or Word (.docx) file."


def test_an_old_word_doc_is_refused_with_advice():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
    with pytest.raises(UnreadableDocument) as exc:
        read_document("old.doc", data)
    assert exc.value.code == "unsupported"
    assert ".docx" in str(exc.value)


def test_a_spreadsheet_is_refused_as_unsupported():
    data = make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(UnreadableDocument) as exc:
        read_document("figures.xlsx", data)
    assert exc.value.code == "unsupported"


def test_an_executable_is_refused_as_unsupported():
    data = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    with pytest.raises(UnreadableDocument) as exc:
        read_document("setup.exe", data)
    assert exc.value.code == "unsupported"


# --- batches and zip archives -------------------------------------------------


def test_a_batch_passes_plain_files_and_docx_through_unread():
    files = [("a.txt", b"hello"), ("b.docx", make_docx()), ("c.png", PNG)]
    assert expand_batch(files) == files


def test_a_zip_expands_into_its_files_while_bad_ones_get_errors_and_the_rest_goes_on():
    archive = make_zip(
        {
            "folder/a.txt": ES.encode("utf-8"),
            "folder/": b"",
            "__MACOSX/folder/._a.txt": b"junk",
            ".DS_Store": b"junk",
            "b.docx": make_docx(),
            "broken.pdf": b"%PDF-1.7 garbage",
            "inner.zip": make_zip({"x.txt": b"x"}),
            "c.html": PAGE.encode("utf-8"),
        }
    )
    batch = expand_batch([("first.txt", b"first"), ("archive.zip", archive), ("last.txt", b"z")])
    names = [name for name, _ in batch]
    assert names == [
        "first.txt",
        "archive.zip/folder/a.txt",
        "archive.zip/b.docx",
        "archive.zip/broken.pdf",
        "archive.zip/inner.zip",
        "archive.zip/c.html",
        "last.txt",
    ]
    results = dict(batch)
    nested = results["archive.zip/inner.zip"]
    assert isinstance(nested, UnreadableDocument)
    assert nested.code == "nested_zip"
    assert "archive.zip/inner.zip" in str(nested)

    # Reading goes on member by member: the broken PDF fails, the others are read.
    read = {}
    for name, content in batch:
        if isinstance(content, bytes):
            try:
                read[name] = read_document(name, content).content_type
            except UnreadableDocument as exc:
                read[name] = exc.code
    assert read == {
        "first.txt": TEXT,
        "archive.zip/folder/a.txt": TEXT,
        "archive.zip/b.docx": DOCX,
        "archive.zip/broken.pdf": "damaged",
        "archive.zip/c.html": HTML,
        "last.txt": TEXT,
    }


def test_a_zip_inside_a_zip_is_refused_even_under_another_name():
    archive = make_zip({"looks-like.txt": make_zip({"x.txt": b"x"})})
    [(name, content)] = expand_batch([("a.zip", archive)])
    assert name == "a.zip/looks-like.txt"
    assert isinstance(content, UnreadableDocument)
    assert content.code == "nested_zip"


def test_a_corrupt_zip_gives_one_error_and_the_rest_goes_on():
    archive = make_zip({"a.txt": b"hello " * 100})
    batch = expand_batch([("broken.zip", archive[:40]), ("ok.txt", b"fine")])
    assert batch[0][0] == "broken.zip"
    assert isinstance(batch[0][1], UnreadableDocument)
    assert batch[0][1].code == "damaged"
    assert batch[1] == ("ok.txt", b"fine")


def test_a_zip_bomb_member_over_the_size_limit_is_refused_without_being_inflated():
    zeros = b"\x00" * (readers.MAX_FILE_BYTES + 1)
    archive = make_zip({"bomb.txt": zeros, "small.txt": b"small"})
    assert len(archive) < 100_000  # compressed, it is tiny
    batch = dict(expand_batch([("bomb.zip", archive)]))
    assert isinstance(batch["bomb.zip/bomb.txt"], UnreadableDocument)
    assert batch["bomb.zip/bomb.txt"].code == "too_large"
    assert batch["bomb.zip/small.txt"] == b"small"


def test_a_member_whose_declared_size_lies_is_still_cut_at_the_limit(monkeypatch):
    archive = make_zip({"liar.txt": b"a" * 5000})
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    # Shrink the declared sizes in the local header and central directory to 10 bytes.
    source = zipfile.ZipFile(io.BytesIO(archive))
    info = source.infolist()[0]
    patched = bytearray(archive)
    size = info.file_size.to_bytes(4, "little")
    start = 0
    while (index := patched.find(size, start)) != -1:
        patched[index : index + 4] = (10).to_bytes(4, "little")
        start = index + 4
    [(name, content)] = expand_batch([("liar.zip", bytes(patched))])
    assert isinstance(content, UnreadableDocument)
    assert content.code in ("too_large", "damaged")


def test_a_zip_over_the_total_uncompressed_size_refuses_the_members_past_it(monkeypatch):
    monkeypatch.setattr(readers, "MAX_ZIP_TOTAL_BYTES", 250)
    archive = make_zip({"a.txt": b"a" * 100, "b.txt": b"b" * 100, "c.txt": b"c" * 100})
    batch = dict(expand_batch([("big.zip", archive)]))
    assert batch["big.zip/a.txt"] == b"a" * 100
    assert batch["big.zip/b.txt"] == b"b" * 100
    assert isinstance(batch["big.zip/c.txt"], UnreadableDocument)
    assert batch["big.zip/c.txt"].code == "too_large"


def test_a_zip_with_too_many_files_takes_the_first_ones_and_says_so(monkeypatch):
    monkeypatch.setattr(readers, "MAX_ZIP_MEMBERS", 3)
    archive = make_zip({f"{i}.txt": b"x" for i in range(5)})
    batch = expand_batch([("many.zip", archive)])
    assert [name for name, _ in batch] == [
        "many.zip/0.txt",
        "many.zip/1.txt",
        "many.zip/2.txt",
        "many.zip",
    ]
    assert isinstance(batch[-1][1], UnreadableDocument)
    assert batch[-1][1].code == "too_many_files"


def test_messages_are_sentences_in_the_active_language_naming_the_file():
    from django.utils import translation

    with translation.override("es"), pytest.raises(UnreadableDocument) as exc:
        read_document("vacío.txt", b"")
    assert str(exc.value).startswith("vacío.txt ")
    assert exc.value.name == "vacío.txt"
