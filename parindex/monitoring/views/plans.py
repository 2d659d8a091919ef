"""The office's plan pages: plans, a plan's tasks, task editing, issuing, cloning, the units of
a task, review/extension/cancellation of a unit's progress, urging, the completion dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits, permissions
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.documents.tables import write_csv
from parindex.monitoring import forms, pages, queries, services
from parindex.monitoring.models import Plan, Progress
from parindex.monitoring.views import act, back, submit
from parindex.monitoring.views.unit import progress_done


@require_GET
@login_required
def plan_list(request: AuthedRequest) -> HttpResponse:
    """Every plan with its tasks and completion, newest year first (drafts: office only)."""
    queries.require(request.user, "view_plans")
    plans = Plan.objects.order_by("-year", "code")
    if not permissions.has(request.user, "manage_monitoring"):
        plans = plans.filter(status=Plan.Status.ISSUED)
    today = timezone.localdate()
    context = {"rows": pages.plan_rows(plans, today), "today": today}
    return render(request, "monitoring/plans.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_create(request: AuthedRequest) -> HttpResponse:
    """A new draft plan: code, year, kind, title, legal basis."""
    queries.require(request.user, "manage_monitoring")
    form = forms.PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    plan = submit(
        request,
        form,
        lambda data: services.create_plan(
            by=request.user,
            code=data["code"],
            year=data["year"],
            title=data["title"],
            kind=data["kind"],
            legal_basis=data["legal_basis"],
        ),
        done=_("Plan created; add or import its tasks, then issue it."),
    )
    if plan is not None:
        return redirect("monitoring:plan_detail", pk=plan.pk)
    return render(request, "monitoring/plan_form.html", {"form": form})


@require_GET
@login_required
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A plan's task table: filters in the URL, sorting, pagination, completion per task."""
    plan = queries.get_plan_for_reader(request.user, pk)
    today = timezone.localdate()
    params = {key: request.GET.get(key, "").strip() for key in ("search", "unit", "state")}
    sort = request.GET.get("sort", "code")
    rows = pages.task_rows(plan, today, sort=sort, **params)
    context = {
        "plan": plan,
        "params": params,
        "sort": sort,
        "states": pages.TASK_STATES,
        "today": today,
        "can_manage": permissions.has(request.user, "manage_monitoring"),
        "issue_form": forms.IssueForm(
            initial={"issued_on": today, "legal_basis": plan.legal_basis}
        ),
        "clone_form": forms.CloneForm(
            initial={
                "code": plan.code.replace(str(plan.year), str(plan.year + 1)),
                "year": plan.year + 1,
                "title": plan.title.replace(str(plan.year), str(plan.year + 1)),
            }
        ),
        **paginate(request, rows),
    }
    return render(request, "monitoring/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a plan's title, kind, year or legal basis."""
    plan = queries.get_plan_for_office(request.user, pk)
    initial = {
        name: getattr(plan, name) for name in ("code", "year", "kind", "title", "legal_basis")
    }
    form = forms.PlanForm(request.POST or None, initial={**initial, "version": plan.version})
    form.fields["code"].disabled = True
    if submit(
        request,
        form,
        lambda data: services.update_plan(
            by=request.user,
            plan=plan,
            version=data["version"] if data["version"] is not None else plan.version,
            values={key: data[key] for key in ("title", "kind", "legal_basis", "year")},
        ),
        done=_("Changes saved."),
    ):
        return redirect("monitoring:plan_detail", pk=pk)
    return render(request, "monitoring/plan_form.html", {"form": form, "plan": plan})


@require_POST
@login_required
def plan_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    """Issue a draft plan (its units are told and start reporting)."""
    plan = queries.get_plan_for_office(request.user, pk)
    act(
        request,
        forms.IssueForm(request.POST),
        lambda data: services.issue_plan(
            by=request.user,
            plan=plan,
            issued_on=data["issued_on"],
            legal_basis=data["legal_basis"],
        ),
        done=_("The plan is issued; its units were notified."),
        invalid=_("Give the day the plan was issued."),
    )
    return redirect("monitoring:plan_detail", pk=pk)


@require_POST
@login_required
def plan_clone(request: AuthedRequest, pk: int) -> HttpResponse:
    """A draft copy of the plan for another year (deadlines moved by the years)."""
    plan = queries.get_plan_for_office(request.user, pk)
    form = forms.CloneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            clone = services.clone_plan(
                by=request.user,
                plan=plan,
                code=data["code"],
                year=data["year"],
                title=data["title"],
            )
        except services.Refused as refused:
            messages.error(request, " ".join(refused.problems))
        else:
            messages.success(
                request, _("Plan copied; check its tasks and deadlines, then issue it.")
            )
            return redirect("monitoring:plan_detail", pk=clone.pk)
    else:
        messages.error(request, _("Give the new plan's code, year and title."))
    return redirect("monitoring:plan_detail", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def task_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a task to a plan."""
    plan = queries.get_plan_for_office(request.user, pk)
    form = forms.TaskForm(request.POST or None, initial={"deadline": f"{plan.year}-12-31"})
    if submit(
        request,
        form,
        lambda _data: services.add_task(by=request.user, plan=plan, values=form.values()),
        done=_("Task added."),
    ):
        return redirect("monitoring:plan_detail", pk=pk)
    return render(request, "monitoring/task_form.html", {"form": form, "plan": plan})


@require_http_methods(["GET", "POST"])
@login_required
def task_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a task: the units it assigns and their deadlines follow."""
    task = queries.get_task_for_office(request.user, pk)
    form = forms.TaskForm(request.POST or None, initial=forms.TaskForm.initial_for(task))
    if submit(
        request,
        form,
        lambda data: services.update_task(
            by=request.user,
            task=task,
            version=task.version if data["version"] is None else data["version"],
            values=form.values(),
        ),
        done=_("Changes saved."),
    ):
        return redirect("monitoring:task", pk=pk)
    context = {"form": form, "plan": task.plan, "task": task}
    return render(request, "monitoring/task_form.html", context)


@require_POST
@login_required
def task_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take a task out of its plan (only while no unit reported on it)."""
    task = queries.get_task_for_office(request.user, pk)
    if act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.delete_task(by=request.user, task=task, reason=data["reason"]),
        done=_("Task deleted."),
        invalid=_("Give the reason."),
    ):
        return redirect("monitoring:plan_detail", pk=task.plan_id)
    return redirect("monitoring:task", pk=pk)


@require_GET
@login_required
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A task's units and their progress (paginated), to review, extend, cancel or urge."""
    queries.require(request.user, "view_plans")
    task = queries.get_task_for_reader(request.user, pk)
    params = {key: request.GET.get(key, "").strip() for key in ("search", "state")}
    rows = pages.task_progress(task, **params)
    context = {
        "task": task,
        "plan": task.plan,
        "params": params,
        "today": timezone.localdate(),
        "states": [
            ("open", _("Open")),
            *Progress.Status.choices,
            ("pending", _("Awaiting review")),
        ],
        "can_manage": permissions.has(request.user, "manage_monitoring"),
        "delete_form": forms.ReasonForm(),
        **paginate(request, rows),
    }
    return render(request, "monitoring/task_detail.html", context)


@require_POST
@login_required
def progress_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """The office accepts a unit's reported completion or returns it with the reason."""
    row = queries.get_progress_for_office(request.user, pk)
    act(
        request,
        forms.ReviewForm(request.POST),
        lambda data: services.review_progress(
            by=request.user,
            progress=row,
            version=data["version"],
            accept=data["decision"] == "accept",
            reason=data["reason"],
        ),
        done=_("Decision recorded."),
        invalid=_("Choose accept or return."),
    )
    return progress_done(request, pk)


@require_POST
@login_required
def progress_extend(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give one unit a later deadline on a task, with the reason."""
    row = queries.get_progress_for_office(request.user, pk)
    act(
        request,
        forms.ExtendForm(request.POST),
        lambda data: services.extend_progress(
            by=request.user, progress=row, until=data["until"], reason=data["reason"]
        ),
        done=_("Extension granted; the unit was notified."),
        invalid=_("Give the new deadline and the reason."),
    )
    return progress_done(request, pk)


@require_POST
@login_required
def progress_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    """Cancel a task for one unit, with the reason."""
    row = queries.get_progress_for_office(request.user, pk)
    act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.cancel_progress(by=request.user, progress=row, reason=data["reason"]),
        done=_("The task is cancelled for the unit."),
        invalid=_("Give the reason."),
    )
    return progress_done(request, pk)


@require_POST
@login_required
def urge(request: AuthedRequest) -> HttpResponse:
    """Urge the units of the chosen open tasks (one or many at once), by inbox and e-mail."""
    queries.require(request.user, "manage_monitoring")
    form = forms.UrgeForm(request.POST, rows=Progress.objects.select_related("task", "unit"))
    if form.is_valid():
        urged = services.urge(
            by=request.user,
            rows=list(form.cleaned_data["progress"]),
            message=form.cleaned_data["message"],
        )
        text, level = _("%(n)d unit(s) urged by inbox and e-mail.") % {"n": urged}, "success"
    else:
        text, level = _("Choose at least one task of a unit."), "error"
    if request.htmx:  # said where the button is; the page stays as it was
        return render(request, "monitoring/_urged.html", {"text": text, "level": level})
    getattr(messages, level)(request, text)
    return back(request, "monitoring:plans")


@require_GET
@login_required
def completion(request: AuthedRequest) -> HttpResponse:
    """Completion of a year's plans: per plan, per lead and per unit, with the numbers."""
    queries.require(request.user, "view_plans")
    today = timezone.localdate()
    years = pages.years_with_plans() or [today.year]
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and int(year_text) in years else years[0]
    plan_text = request.GET.get("plan", "")
    params = {
        "unit_type": request.GET.get("unit_type", ""),
        "sort": request.GET.get("sort", "overdue"),
    }
    board = pages.dashboard(
        year, today, plan_id=int(plan_text) if plan_text.isdigit() else None, **params
    )
    paged = paginate(request, board.units)
    context = {
        "board": board,
        "year": year,
        "years": years,
        "plan": plan_text,
        "params": params,
        "unit_types": queries.unit_types(),
        "unit_rows": pages.unit_rows(paged["page_obj"]),
        **paged,
    }
    return render(request, "monitoring/completion.html", context)


@require_GET
@login_required
@limits.download
def plan_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """A plan's tasks as CSV in the import format (edit it and import it back)."""
    plan = queries.get_plan_for_reader(request.user, pk)
    rows = [services.TASKS_HEADER] + [
        [
            task.code,
            task.title,
            ";".join(task.lead),
            ";".join(task.coordinating),
            task.deadline,
            ";".join(task.criterion_codes),
            task.product,
        ]
        for task in plan.tasks.order_by("position", "code")
    ]
    response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}.csv"'
    return response
