"""Background jobs (django-tasks): run by `solidarity db_worker`, or the demo's own worker.

A job carries the document's code and nothing else; whatever goes wrong is
kept on the document as a reason for the documenter (never a traceback in the
job table, which is not encrypted).
"""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def read_document(code: str) -> None:
    from solidarity.intake.services import fail_job, process

    try:
        process(code)
    except Exception as exc:  # noqa: BLE001 - the job table must not keep a traceback
        logger.warning("intake job for %s failed (%s)", code, type(exc).__name__)
        fail_job(code)
