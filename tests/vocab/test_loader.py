from pathlib import Path

import pytest

from solidarity.vocab.loader import (
    VocabularyFileError,
    data_files,
    load_files,
    parse_file,
)
from solidarity.vocab.models import Term, Vocabulary

HEADER = "code,parent,en,zh_hans,es,source,status\n"
META = "# title_en: Test\n# title_zh_hans: 测试\n# version: 1\n# hierarchical: yes\n"


def write(tmp_path: Path, body: str, *, name: str = "test_terms", meta: str = META) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text(meta + HEADER + body, encoding="utf-8")
    return path


TREE = (
    "detention,,Detention,拘留,Detención,SDG,\n"
    "arrest,detention,Arrest,逮捕,Arresto,HUR 030101,\n"
    "house_arrest,detention,House arrest,软禁,Arresto domiciliario,HUR 030105,\n"
    "threat,,Threat,威胁,Amenaza,FLD,\n"
)


def test_every_shipped_vocabulary_file_parses():
    files = data_files()
    names = {f.stem for f in files}
    required = {
        "violation_types",
        "perpetrator_types",
        "state_relations",
        "gender_dimensions",
        "areas_of_work",
        "defender_roles",
        "organisation_types",
        "legal_statuses",
        "location_types",
        "reliability",
        "verification_statuses",
        "consent_scopes",
        "un_mechanisms",
        "response_types",
    }
    assert required <= names
    for path in files:
        parsed = parse_file(path)
        assert all(row.en and row.zh_hans and row.source for row in parsed.rows)


@pytest.mark.django_db
def test_loading_twice_changes_nothing(tmp_path):
    path = write(tmp_path, TREE)
    [first] = load_files([path])
    assert len(first.created) == 4
    [second] = load_files([path])
    assert (second.created, second.updated, second.deprecated) == ([], [], [])
    assert second.unchanged == 4
    assert Term.objects.of("test_terms").count() == 4


@pytest.mark.django_db
def test_the_hierarchy_gives_each_term_its_path_and_the_subtree_includes_children(tmp_path):
    load_files([write(tmp_path, TREE)])
    detention = Term.objects.of("test_terms").get(code="detention")
    arrest = Term.objects.of("test_terms").get(code="arrest")
    assert arrest.parent == detention
    assert arrest.path == "/detention/arrest/"
    assert set(Term.objects.subtree(detention).values_list("code", flat=True)) == {
        "detention",
        "arrest",
        "house_arrest",
    }
    assert list(Term.objects.subtree(arrest).values_list("code", flat=True)) == ["arrest"]


@pytest.mark.django_db
def test_a_term_removed_from_its_file_is_deprecated_not_deleted(tmp_path):
    load_files([write(tmp_path, TREE)])
    load_files([write(tmp_path, TREE.replace("threat,,Threat,威胁,Amenaza,FLD,\n", ""))])
    threat = Term.objects.of("test_terms").get(code="threat")
    assert threat.deprecated
    assert threat.label_en == "Threat"


@pytest.mark.django_db
def test_a_term_marked_deprecated_in_its_file_is_deprecated_and_can_come_back(tmp_path):
    load_files([write(tmp_path, TREE.replace("FLD,\n", "FLD,deprecated\n"))])
    assert Term.objects.of("test_terms").get(code="threat").deprecated
    load_files([write(tmp_path, TREE)])
    assert not Term.objects.of("test_terms").get(code="threat").deprecated


@pytest.mark.django_db
def test_a_changed_label_updates_the_term_in_place(tmp_path):
    load_files([write(tmp_path, TREE)])
    before = Term.objects.of("test_terms").get(code="arrest").pk
    [report] = load_files([write(tmp_path, TREE.replace("Arrest,逮捕", "Arrest (police),逮捕"))])
    assert report.updated == ["arrest"]
    after = Term.objects.of("test_terms").get(code="arrest")
    assert (after.pk, after.label_en) == (before, "Arrest (police)")


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("arrest,detention,Arrest,逮捕,Arresto,HUR,\n", 6, "parent 'detention' must be defined"),
        ("Bad Code,,X,某,X,SDG,\n", 6, "lowercase snake_case"),
        ("a,,A,甲,A,SDG,\na,,A,甲,A,SDG,\n", 7, "defined twice"),
        ("a,,A,,A,SDG,\n", 6, "'zh_hans' is empty"),
        ("a,,A,甲,A,,\n", 6, "'source' is empty"),
        ("a,,A,甲,A,SDG\n", 6, "expected 7 columns"),
        ("a,,A,甲,A,SDG,retired\n", 6, "status must be empty or 'deprecated'"),
        ('a,,"A,甲,A,SDG,\n', 6, ""),
    ],
)
def test_a_malformed_file_is_refused_with_the_file_line_and_reason(tmp_path, body, line, reason):
    path = write(tmp_path, body)
    with pytest.raises(VocabularyFileError) as error:
        parse_file(path)
    assert error.value.path == path
    assert error.value.line == line
    assert reason in error.value.reason
    assert str(error.value).startswith(f"{path}:{error.value.line}: ")


def test_a_flat_vocabulary_refuses_parents(tmp_path):
    path = write(tmp_path, TREE, meta=META.replace("hierarchical: yes", "hierarchical: no"))
    with pytest.raises(VocabularyFileError, match="flat vocabulary") as error:
        parse_file(path)
    assert error.value.line == 7


def test_missing_metadata_is_refused(tmp_path):
    with pytest.raises(VocabularyFileError, match="missing metadata 'version'"):
        parse_file(write(tmp_path, TREE, meta=META.replace("# version: 1\n", "")))


def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(META + "code,label\nx,X\n", encoding="utf-8")
    with pytest.raises(VocabularyFileError, match="header must be") as error:
        parse_file(path)
    assert error.value.line == 5


@pytest.mark.django_db
def test_one_bad_file_refuses_the_whole_load_and_nothing_is_written(tmp_path):
    good = write(tmp_path, TREE, name="good_terms")
    bad = write(tmp_path, "x,nope,X,某,X,SDG,\n", name="bad_terms")
    with pytest.raises(VocabularyFileError):
        load_files([good, bad])
    assert not Vocabulary.objects.filter(code="good_terms").exists()


def test_the_load_vocab_command_reports_a_bad_file_without_a_traceback(tmp_path):
    from django.core.management import CommandError, call_command

    bad = write(tmp_path, "x,nope,X,某,X,SDG,\n", name="bad_terms")
    with pytest.raises(CommandError, match=r"bad_terms.csv:6: parent 'nope'"):
        call_command("load_vocab", str(bad))
