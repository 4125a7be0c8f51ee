"""Load the vocabulary data files into the database.

A file is ``# key: value`` metadata lines, then CSV with the columns
``code,parent,en,zh_hans,es,source,status``. Loading is idempotent; a term that
disappears from its file, or is marked ``deprecated``, is deprecated, never
deleted. A malformed file is refused whole, naming the file, line and reason.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from solidarity.vocab.models import Term, Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
COLUMNS = ["code", "parent", "en", "zh_hans", "es", "source", "status"]
REQUIRED_META = ("title_en", "title_zh_hans", "version", "hierarchical")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class VocabularyFileError(ValueError):
    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path, self.line, self.reason = path, line, reason


@dataclass
class Row:
    line: int
    code: str
    parent: str
    en: str
    zh_hans: str
    es: str
    source: str
    deprecated: bool


@dataclass
class ParsedFile:
    path: Path
    code: str
    meta: dict[str, str]
    rows: list[Row]

    @property
    def hierarchical(self) -> bool:
        return self.meta["hierarchical"] == "yes"


@dataclass
class LoadReport:
    vocabulary: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.vocabulary}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.deprecated)} deprecated, {self.unchanged} unchanged"
        )


def parse_file(path: Path) -> ParsedFile:
    """Read and check one vocabulary file; raise VocabularyFileError on the first problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise VocabularyFileError(path, 1, f"not UTF-8 text ({exc.reason})") from exc
    lines = text.splitlines(keepends=True)
    meta: dict[str, str] = {}
    header_index = 0
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            header_index = index
            break
        key, sep, value = line[1:].partition(":")
        if not sep:
            raise VocabularyFileError(path, index + 1, "metadata lines look like '# key: value'")
        meta[key.strip()] = value.strip()
    else:
        raise VocabularyFileError(path, len(lines) or 1, "no CSV header after the metadata")
    for key in REQUIRED_META:
        if key not in meta:
            raise VocabularyFileError(path, 1, f"missing metadata '{key}'")
    if not meta["version"].isdigit():
        raise VocabularyFileError(path, 1, "version must be a whole number")
    if meta["hierarchical"] not in {"yes", "no"}:
        raise VocabularyFileError(path, 1, "hierarchical must be 'yes' or 'no'")

    reader = csv.reader(io.StringIO("".join(lines[header_index:])))
    rows: list[Row] = []
    seen: set[str] = set()
    try:
        header = next(reader, None)
        if header != COLUMNS:
            raise VocabularyFileError(
                path, header_index + 1, f"the header must be {','.join(COLUMNS)}"
            )
        for record in reader:
            line = header_index + reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(record) != len(COLUMNS):
                raise VocabularyFileError(
                    path, line, f"expected {len(COLUMNS)} columns, found {len(record)}"
                )
            values = dict(zip(COLUMNS, (cell.strip() for cell in record), strict=True))
            rows.append(_check_row(path, line, values, seen, hierarchical=meta["hierarchical"]))
            seen.add(values["code"])
    except csv.Error as exc:
        raise VocabularyFileError(path, header_index + reader.line_num, str(exc)) from exc
    if not rows:
        raise VocabularyFileError(path, header_index + 1, "the file defines no terms")
    return ParsedFile(path=path, code=path.stem, meta=meta, rows=rows)


def _check_row(
    path: Path, line: int, values: dict[str, str], seen: set[str], *, hierarchical: str
) -> Row:
    code = values["code"]
    if not CODE.match(code):
        raise VocabularyFileError(path, line, f"code '{code}' must be lowercase snake_case")
    if code in seen:
        raise VocabularyFileError(path, line, f"code '{code}' is defined twice")
    parent = values["parent"]
    if parent and hierarchical != "yes":
        raise VocabularyFileError(path, line, "a flat vocabulary's terms have no parent")
    if parent and parent not in seen:
        raise VocabularyFileError(
            path, line, f"parent '{parent}' must be defined on an earlier line"
        )
    for column in ("en", "zh_hans", "source"):
        if not values[column]:
            raise VocabularyFileError(path, line, f"'{column}' is empty for '{code}'")
        if len(values[column]) > 200:
            raise VocabularyFileError(path, line, f"'{column}' is longer than 200 characters")
    if values["status"] not in {"", "deprecated"}:
        raise VocabularyFileError(path, line, "status must be empty or 'deprecated'")
    return Row(
        line=line,
        code=code,
        parent=parent,
        en=values["en"],
        zh_hans=values["zh_hans"],
        es=values["es"],
        source=values["source"],
        deprecated=values["status"] == "deprecated",
    )


def data_files(directory: Path = DATA_DIR) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def load_files(paths: list[Path]) -> list[LoadReport]:
    """Parse every file first (refusing all on any error), then load them in one transaction."""
    parsed = [parse_file(path) for path in paths]
    with transaction.atomic():
        return [_load(item) for item in parsed]


def _load(parsed: ParsedFile) -> LoadReport:
    vocabulary, _created = Vocabulary.objects.update_or_create(
        code=parsed.code,
        defaults={
            "title_en": parsed.meta["title_en"],
            "title_zh_hans": parsed.meta["title_zh_hans"],
            "title_es": parsed.meta.get("title_es", ""),
            "version": int(parsed.meta["version"]),
            "hierarchical": parsed.hierarchical,
        },
    )
    report = LoadReport(vocabulary=parsed.code)
    existing = {term.code: term for term in vocabulary.terms.all()}
    paths: dict[str, str] = {}
    loaded: dict[str, Term] = {}
    for position, row in enumerate(parsed.rows):
        parent = loaded.get(row.parent)
        path = f"{paths[row.parent] if row.parent else '/'}{row.code}/"
        paths[row.code] = path
        wanted = {
            "parent": parent,
            "path": path,
            "depth": path.count("/") - 2,
            "position": position,
            "label_en": row.en,
            "label_zh_hans": row.zh_hans,
            "label_es": row.es,
            "source": row.source,
            "deprecated": row.deprecated,
        }
        term = existing.pop(row.code, None)
        if term is None:
            term = Term.objects.create(vocabulary=vocabulary, code=row.code, **wanted)
            report.created.append(row.code)
        elif any(getattr(term, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(term, key, value)
            term.save()
            report.updated.append(row.code)
        else:
            report.unchanged += 1
        loaded[row.code] = term
    for term in existing.values():
        if not term.deprecated:
            term.deprecated = True
            term.save(update_fields=["deprecated"])
            report.deprecated.append(term.code)
    return report


def load_all() -> list[LoadReport]:
    return load_files(data_files())
