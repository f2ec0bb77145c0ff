"""When an upload may start: refusing repeats, resuming what a crash or a cancel left."""

from __future__ import annotations

import logging

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.reading.table import Table
from twconv_gui.core.upload.journal import JobRecord, JobStatus, Journal, job_fingerprint
from twconv_gui.core.upload.model import UploadOptions, UploadRefused

log = logging.getLogger(__name__)


def earlier_job(
    journal: Journal, table: Table, profile: MappingProfile, options: UploadOptions
) -> JobRecord | None:
    """The latest job of the same file bytes, mapping, pixel and event, if any."""
    return journal.latest_job(_fingerprint(table, profile, options))


def is_fully_uploaded(job: JobRecord) -> bool:
    """Every event of that job was acknowledged: sending again needs an explicit override."""
    return job.status is JobStatus.COMPLETED


def _fingerprint(table: Table, profile: MappingProfile, options: UploadOptions) -> str:
    return job_fingerprint(table.path, profile.to_dict(), options.pixel_id, options.event_id)


def open_job(
    journal: Journal,
    table: Table,
    profile: MappingProfile,
    options: UploadOptions,
    api_base: str,
) -> JobRecord:
    """The journal job this upload runs as: a new one, or the unfinished one on --resume.

    The same file bytes, mapping, pixel and event make the same job: once fully acknowledged
    it is refused unless --force; an unfinished one must be resumed or forced.
    """
    fingerprint = _fingerprint(table, profile, options)
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
            raise UploadRefused(
                f"{name} was already uploaded with this mapping to pixel {options.pixel_id} on "
                f"{when} (job {previous.id}): every event was acknowledged. Sending it again "
                "would count the sales twice unless they carry a conversion_id. Use --force "
                "to send it anyway."
            )
        if not options.resume:
            raise UploadRefused(
                f"An upload of {name} with this mapping to pixel {options.pixel_id} did not "
                f"finish (job {previous.id}, started {when}, {previous.status.value}). Use "
                "--resume to send only what was not acknowledged, or --force to start over."
            )
        job = journal.resume_job(previous.id)
    else:
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
    log.info(
        "job %s: %s to pixel %s (%s)",
        job.id,
        name,
        options.pixel_id,
        "resumed" if options.resume else "new",
    )
    return job
