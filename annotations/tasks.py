"""Jobs for the queue (Django's Tasks API, django-tasks). Each is a one-line wrapper around
a service function, so the work is tested and run without a queue too."""

from __future__ import annotations

from django_tasks import task

from annotations.jobs import job


@task()
def archive_source(archive_id: int) -> None:
    """Take the snapshot `archive_id` of a source (annotations.services.archiving). Raises
    when it fails, after recording why, so the queue retries it."""
    from annotations.services.archiving import source_archive  # it enqueues this task

    source_archive(archive_id)


@task()
def compute_suggestions(revision_id: int) -> None:
    """The suggested claims of a revision loaded in bulk (annotations.services.suggestions).
    Safe to run twice: a revision that has its suggestions is left alone."""
    from annotations.services.suggestions import suggestions_compute_once

    suggestions_compute_once(revision_id=revision_id)


@job(attempts=3, backoff=60)
def email_notification(notification_id: int) -> None:
    """E-mail one notification to its recipient (annotations.services.notifications): sent
    once, however often the job runs."""
    from annotations.services.notifications import notification_email_send  # enqueues this

    notification_email_send(notification_id)
