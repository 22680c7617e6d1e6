"""Admin CSV imports of many rows, run in the background with a page that shows progress.

A file of up to `csvimport.MAX_ROWS` rows is read when it is uploaded (a malformed file is
refused at once, with its line numbers). A small file is then imported within the upload
request. A larger one becomes an `ImportJob`: a thread of the web worker checks its rows
batch by batch, saving how many it has checked, then writes them all in one transaction
(all or nothing), and the staff member watches the job's page, which reloads itself
(`<meta http-equiv="refresh">`, no script) until the job is done.

Why a thread and not steps driven by the page: checking can be split into steps, but the
write cannot without giving up all-or-nothing, and 20,000 documents take several seconds
to write (more on a busy server), too close to the worker timeout (30 s) to be safe in a
request. The thread has no such limit; the worker keeps answering requests meanwhile. If
the worker is stopped mid-import, the transaction is rolled back (nothing written) and the
job's page says so once it has not moved for `STALE_AFTER`. See docs/imports.md.
"""

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections, connection
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

# Files up to this many rows are imported within the upload request (about a second).
IN_REQUEST_ROWS = 1000
# A running job whose row has not changed for this long was stopped with its worker.
STALE_AFTER = timedelta(minutes=10)
# Seconds between two reloads of a running job's page.
REFRESH_SECONDS = 2
# Finished jobs are kept this long, for the staff member to come back to the result.
KEEP_FINISHED = timedelta(days=30)
# Bad rows listed on the page (every one is counted).
ERRORS_SHOWN = 500

_threads: dict[int, threading.Thread] = {}


def start(job: ImportJob, work: Callable[[ImportJob], None]) -> None:
    """Run `work(job)` in a background thread. `work` checks and writes the rows,
    calling `progress` and then `finish`; an exception ends the job as interrupted."""
    ImportJob.objects.filter(
        updated_at__lt=timezone.now() - KEEP_FINISHED,
        status__in=[ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.INTERRUPTED],
    ).delete()
    # Not a daemon: a worker that is shut down gracefully lets the import finish first.
    thread = threading.Thread(target=_run, args=(job.pk, work), name=f"import-{job.pk}")
    _threads[job.pk] = thread
    thread.start()


def _run(job_id: int, work: Callable[[ImportJob], None]) -> None:
    close_old_connections()
    try:
        job = ImportJob.objects.select_related("user").get(pk=job_id)
        with translation.override(job.language or None):
            try:
                work(job)
            except Exception:
                # Logged with its traceback for the operators; the staff member reads a
                # sentence. The write's transaction was rolled back: nothing was written.
                logger.exception("Import job %s failed", job_id)
                finish(
                    job,
                    status=ImportStatus.INTERRUPTED,
                    errors=[(0, _("Lỗi hệ thống khi nhập: không dòng nào được ghi."))],
                )
    except Exception:
        logger.exception("Import job %s could not be recorded", job_id)
    finally:
        _threads.pop(job_id, None)
        connection.close()


def wait(job: ImportJob, timeout: float | None = None) -> None:
    """Wait for `job`'s thread, when it runs in this process (for tests and shutdown)."""
    thread = _threads.get(job.pk)
    if thread is not None:
        thread.join(timeout)


def progress(job: ImportJob, *, checked: int, status: str = ImportStatus.CHECKING) -> None:
    """Save how far `job` got (committed at once: the page reads it from other workers)."""
    job.rows_checked, job.status = checked, status
    job.save(update_fields=["rows_checked", "status", "updated_at"])


def finish(
    job: ImportJob,
    *,
    status: str,
    errors: list[tuple[int, str]] = (),
    summary: list[str] = (),
) -> None:
    """Record how `job` ended; the uploaded file is no longer needed."""
    job.status = status
    job.errors = [list(error) for error in errors]
    job.summary = [str(line) for line in summary]
    job.content = ""
    job.save(update_fields=["status", "errors", "summary", "content", "updated_at"])


def job_page(request, job_id: int, *, kind: str, context: dict) -> TemplateResponse:
    """The page of one of the user's import jobs: progress while it runs (reloading
    itself), then the result. Staff see only their own jobs (superusers every job)."""
    jobs = ImportJob.objects.filter(kind=kind)
    if not request.user.is_superuser:
        jobs = jobs.filter(user=request.user)
    job = get_object_or_404(jobs, pk=job_id)
    if job.running and job.updated_at < timezone.now() - STALE_AFTER:
        finish(
            job,
            status=ImportStatus.INTERRUPTED,
            errors=[
                (
                    0,
                    _(
                        "Việc nhập bị dừng giữa chừng (máy chủ khởi động lại): không dòng "
                        "nào được ghi. Hãy nhập lại tệp."
                    ),
                )
            ],
        )
    return TemplateResponse(
        request,
        "admin/portal/import_job.html",
        {
            **context,
            "job": job,
            "refresh_seconds": REFRESH_SECONDS,
            "errors_shown": job.errors[:ERRORS_SHOWN],
            "errors_more": max(0, len(job.errors) - ERRORS_SHOWN),
        },
    )
