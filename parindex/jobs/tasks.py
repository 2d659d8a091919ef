"""The one task the queue carries: run the job whose id it was given.

Through Django's Tasks API (the `django-tasks` backport while on Django 5.2): the backend is
chosen in settings (`TASKS`), the database queue by default, RQ on Redis with
`TASKS_BACKEND=rq`, the immediate backend in tests.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from parindex.jobs import services

    services.run(job_id)
