"""Evidence file names and descriptions are encrypted, including those stored before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from solidarity.incidents import services
from solidarity.incidents.models import EvidenceFile, Incident

BEFORE = [("incidents", "0007_remove_incident_incident_date_order_and_more")]
AFTER = [("incidents", "0008_evidence_names_encrypted")]


def raw(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM incidents_evidencefile WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_an_uploaded_files_name_and_description_are_stored_encrypted(documenter, home):
    incident = Incident.objects.create(owner=home, title="Synthetic incident")
    evidence = services.add_evidence(
        user=documenter,
        incident=incident,
        upload=SimpleUploadedFile("statement_of_Ana_Example.txt", b"a statement"),
        description="What Ana Example said",
    )
    assert raw("original_name", evidence.pk).startswith("enc:")
    assert raw("description", evidence.pk).startswith("enc:")
    again = EvidenceFile.objects.get(pk=evidence.pk)
    assert (again.original_name, again.description) == (
        "statement_of_Ana_Example.txt",
        "What Ana Example said",
    )


@pytest.mark.django_db(transaction=True)
def test_names_stored_in_clear_before_are_encrypted_by_the_migration(home):
    incident = Incident.objects.create(owner=home, title="Synthetic incident")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO incidents_evidencefile (code, created_at, updated_at, incident_id,"
            " file, original_name, content_type, size, sha256, description)"
            " VALUES (%s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, %s, 'x', %s, 'text/plain', 1,"
            " %s, %s)",
            [
                "00000000-0000-0000-0000-000000000001",
                incident.pk,
                "Ana_Example.pdf",
                "0" * 64,
                "photo of Ana Example",
            ],
        )
        cursor.execute("SELECT id FROM incidents_evidencefile")
        pk = cursor.fetchone()[0]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert raw("original_name", pk).startswith("enc:")
    assert raw("description", pk).startswith("enc:")
    evidence = EvidenceFile.objects.get(pk=pk)
    assert (evidence.original_name, evidence.description) == (
        "Ana_Example.pdf",
        "photo of Ana Example",
    )
