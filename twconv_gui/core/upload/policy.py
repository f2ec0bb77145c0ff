"""When an upload may start: one process per job, refusing repeats, resuming what was left."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.reading.table import Table
from twconv_gui.core.upload.journal import JobRecord, JobStatus, Journal, job_fingerprint
from twconv_gui.core.upload.lease import JobLease
from twconv_gui.core.upload.model import UploadOptions, UploadRefused

log = logging.getLogger(__name__)


@dataclass
class OpenedJob:
    """The job an upload runs as, the lock that makes this process its only sender, and the
    job as it stood before a resume (put back when the resume sends nothing)."""

    job: JobRecord
    lease: JobLease
    before_resume: JobRecord | None = None


def earlier_job(
    journal: Journal, table: Table, profile: MappingProfile, options: UploadOptions, api_base: str
) -> JobRecord | None:
    """The latest job of the same file bytes, mapping, pixel, event and API host, if any."""
    return journal.latest_job(_fingerprint(table, profile, options, api_base))


def is_fully_uploaded(job: JobRecord) -> bool:
    """Nothing of that job is left to send: sending again needs an explicit override."""
    return job.status is JobStatus.COMPLETED or job.nothing_left_to_send


def _fingerprint(
    table: Table, profile: MappingProfile, options: UploadOptions, api_base: str
) -> str:
    return job_fingerprint(
        table.path, profile.to_dict(), options.pixel_id, options.event_id, api_base=api_base
    )


def open_job(
    journal: Journal,
    table: Table,
    profile: MappingProfile,
    options: UploadOptions,
    api_base: str,
) -> OpenedJob:
    """The journal job this upload runs as: a new one, or the unfinished one on --resume.

    The same file bytes, mapping, pixel, event and API host make the same job. Only one live
    process may send it (JobBusy names the other one). Once nothing is left to send it is
    refused unless --force; an unfinished one must be resumed or forced.
    """
    fingerprint = _fingerprint(table, profile, options, api_base)
    name = table.path.name
    lease = JobLease.acquire(
        journal.path.parent / "locks",
        fingerprint,
        program=options.program,
        what=f"{name} to pixel {options.pixel_id}",
    )
    try:
        opened = _open(
            journal,
            table=table,
            options=options,
            api_base=api_base,
            fingerprint=fingerprint,
            lease=lease,
        )
    except BaseException:
        lease.release()
        raise
    log.info(
        "job %s: %s to pixel %s (%s)",
        opened.job.id,
        name,
        options.pixel_id,
        "resumed" if opened.before_resume else "new",
    )
    return opened


def _open(
    journal: Journal,
    *,
    table: Table,
    options: UploadOptions,
    api_base: str,
    fingerprint: str,
    lease: JobLease,
) -> OpenedJob:
    previous = journal.latest_job(fingerprint)
    name = table.path.name
    if options.resume and previous is None:
        raise UploadRefused(
            f"There is no earlier upload of {name} with this mapping and pixel to resume. "
            "Start it without --resume."
        )
    if previous is not None and not options.force:
        when = previous.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if is_fully_uploaded(previous):
            raise UploadRefused(_sent_already(previous, name, options, when))
        if not options.resume:
            raise UploadRefused(
                f"An upload of {name} with this mapping to pixel {options.pixel_id} did not "
                f"finish (job {previous.id}, started {when}, {previous.status.value}). Use "
                "--resume to send only what was not delivered, or --force to start over."
            )
        return OpenedJob(journal.resume_job(previous.id), lease, before_resume=previous)
    job = journal.start_job(
        fingerprint=fingerprint,
        file_name=name,
        file_path=str(table.path),
        pixel_id=options.pixel_id,
        event_id=options.event_id,
        api_base=api_base,
        batches_total=0,  # known when the preparation ends: the engine records them then
        events_total=0,
        rows_rejected=0,
        report_dir=str(options.report_dir) if options.report_dir else None,
    )
    return OpenedJob(job, lease)


def _sent_already(job: JobRecord, name: str, options: UploadOptions, when: str) -> str:
    if options.resume:
        start = f"Nothing is left to send for {name} (job {job.id}, started {when}): X answered "
    else:
        start = (
            f"{name} was already uploaded with this mapping to pixel {options.pixel_id} on "
            f"{when} (job {job.id}): X answered "
        )
    if job.events_rejected or job.rows_rejected:
        problems = []
        if job.events_rejected:
            problems.append(f"{job.events_rejected:,} rejected by X")
        if job.rows_rejected:
            problems.append(f"{job.rows_rejected:,} rows rejected before sending")
        start += (
            f"every event ({', '.join(problems)}; see rejected-rows.csv in "
            f"{job.report_dir or 'its report folder'}). To send those, fix the rows and "
            "upload them as a new file. "
        )
    else:
        start += "every event, and acknowledged them all. "
    return start + f"{SENT_AGAIN} Use --force only to send it anyway."


# What X promises about a conversion_id (API_NOTES): it de-duplicates a pixel conversion and
# an API conversion of the same sale within 48 hours. Nothing about two API sends of one sale.
SENT_AGAIN = (
    "Sending it again makes X count those sales again: a conversion_id only matches a pixel "
    "conversion of the same sale within 48 hours, not a second upload."
)
RESEND_WINDOW = timedelta(hours=48)


def resend_warning(previous: JobRecord | None, now: datetime | None = None) -> str | None:
    """A warning before a --resume or --force of a job started over 48 hours ago: X may count
    the sales sent now twice (the events in flight when the first run stopped, or all of
    them when forced). None for a recent job or no job."""
    if previous is None:
        return None
    now = now or datetime.now(UTC)
    if now - previous.started_at <= RESEND_WINDOW:
        return None
    when = previous.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return (
        f"Job {previous.id} of {previous.file_name} started on {when}, more than 48 hours ago. "
        "X may count sales sent again now twice: what X documents about a conversion_id covers "
        "48 hours, and a conversion in flight when the earlier run stopped may have reached X."
    )
