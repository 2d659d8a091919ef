"""Index-set pages: list, tree, download, upload with preview, versions, clone, diff and editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex import engine
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.indexsets import files, queries, services
from parindex.indexsets.diff import diff_facts, facts_from_engine, facts_from_rows
from parindex.indexsets.forms import (
    ApplyForm,
    CloneForm,
    DetailsForm,
    MoveForm,
    NodeForm,
    PreviewForm,
    UploadForm,
    refused_errors,
)
from parindex.indexsets.models import Criterion, IndexSet
from parindex.indexsets.preview import preview_rows
from parindex.indexsets.problems import IndexSetRefused, problem_message
from parindex.units.models import UnitType

LIST_FILTERS = ("search", "unit_type", "status", "year", "versions")


@require_GET
@login_required
def index_set_list(request: AuthedRequest) -> HttpResponse:
    """Index sets with their size and maximum; filters and sorting stay in the URL."""
    params = {key: request.GET.get(key, "") for key in LIST_FILTERS}
    sort = request.GET.get("sort", "-year")
    sets = queries.index_set_list(request.user, sort=sort, **params)
    context = {
        "params": params,
        "sort": sort,
        "unit_types": UnitType.objects.all(),
        "statuses": IndexSet.Status.choices,
        **paginate(request, sets),
    }
    return render(request, "indexsets/list.html", context)


@require_GET
@login_required
def index_set_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A set's tree with maxima per level, counts and point split; its versions; its actions."""
    index_set = queries.get_index_set_for_reader(request.user, pk)
    tree = queries.tree_of(index_set)
    context = {
        "index_set": index_set,
        "tree": tree,
        "rows": tree.rows(),
        "problems": [(p.path, problem_message(p)) for p in tree.problems],
        "versions": queries.versions_of(index_set, request.user),
        # Row links are built from this prefix: one reverse() per page, not five per row.
        "nodes_url": reverse("indexsets:node_add", args=[index_set.pk]).removesuffix("add/"),
    }
    return render(request, "indexsets/detail.html", context)


@require_GET
@login_required
def index_set_export(request: AuthedRequest, pk: int, file_format: str) -> HttpResponse:
    """Download a set as canonical YAML or as the XLSX form."""
    index_set = queries.get_index_set_for_reader(request.user, pk)
    if file_format not in files.FORMATS:
        raise Http404
    try:
        source = queries.engine_index_set(index_set)
    except engine.IndexSetInvalid:
        messages.error(request, _("This draft has problems; correct them before downloading it."))
        return redirect("indexsets:detail", pk=pk)
    exported = files.export_file(source, file_format, version=index_set.version)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def index_set_upload(request: AuthedRequest) -> HttpResponse:
    """Upload a YAML or XLSX file and see what it would change before applying it."""
    queries.require_manager(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if form.is_valid():
        try:
            source, content = form.read()
        except IndexSetRefused as refused:
            context["problems"] = refused.problems
        else:
            previous = queries.draft_of(source.code) or queries.latest_published(source.code)
            context.update(
                source=source,
                previous=previous,
                diff=diff_facts(
                    facts_from_rows(previous, queries.set_rows(previous)),
                    facts_from_engine(source),
                )
                if previous
                else None,
                apply_form=ApplyForm(
                    initial={"content": content, "draft": form.cleaned_data["draft"]}
                ),
            )
    return render(request, "indexsets/upload.html", context)


@require_POST
@login_required
def index_set_upload_apply(request: AuthedRequest) -> HttpResponse:
    """Apply a previewed file: a new set, a new version, or the code's draft replaced."""
    queries.require_manager(request.user)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return redirect("indexsets:upload")
    try:
        result = services.import_index_set(
            source=form.read(), by=request.user, draft=form.cleaned_data["draft"]
        )
    except IndexSetRefused as refused:
        context = {"form": UploadForm(), "problems": refused.problems}
        return render(request, "indexsets/upload.html", context)
    labels = {
        "created": _("Index set %(set)s created."),
        "new_version": _("Version %(version)d of %(code)s created."),
        "draft_replaced": _("The draft of %(code)s was replaced by the file."),
        "unchanged": _("The file is the same as %(set)s; nothing changed."),
    }
    index_set = result.index_set
    messages.success(
        request,
        labels[result.action]
        % {"set": index_set, "code": index_set.code, "version": index_set.version},
    )
    return redirect("indexsets:detail", pk=index_set.pk)


@require_POST
@login_required
def index_set_new_version(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start editing a published set: open its draft, creating the next version if needed."""
    index_set = queries.get_index_set_for_manager(request.user, pk)
    draft = services.start_new_version(index_set=index_set, by=request.user)
    return redirect("indexsets:detail", pk=draft.pk)


@require_http_methods(["GET", "POST"])
@login_required
def index_set_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    """Review a draft's changes and problems, then publish it."""
    draft = queries.get_draft_for_editor(request.user, pk)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.publish_index_set(index_set=draft, by=request.user)
        except IndexSetRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, _("%(set)s is published.") % {"set": draft})
            return redirect("indexsets:detail", pk=draft.pk)
    rows = queries.set_rows(draft)
    if not problems:
        problems = [f"{p.path}: {problem_message(p)}" for p in queries.problems_of(draft, rows)]
    base = draft.derived_from
    diff = queries.diff_sets(base, draft) if base else None
    context = {"index_set": draft, "base": base, "diff": diff, "problems": problems}
    return render(request, "indexsets/publish.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def index_set_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete a draft, after confirmation."""
    draft = queries.get_draft_for_editor(request.user, pk)
    if request.method == "POST":
        back = (
            draft.derived_from
            if draft.derived_from and draft.derived_from.code == draft.code
            else None
        )
        services.discard_draft(index_set=draft, by=request.user)
        messages.success(request, _("The draft was deleted."))
        return redirect("indexsets:detail", pk=back.pk) if back else redirect("indexsets:list")
    context = {
        "index_set": draft,
        "question": _("Delete the draft %(set)s and every change made in it?") % {"set": draft},
        "button": _("Delete the draft"),
    }
    return render(request, "indexsets/confirm.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def index_set_clone(request: AuthedRequest, pk: int) -> HttpResponse:
    """Copy a set to a new code and year (e.g. SO-2024 → SO-2027) as a draft."""
    source = queries.get_index_set_for_manager(request.user, pk)
    form = CloneForm.for_source(source, request.POST or None)
    if form.is_valid():
        try:
            clone = services.clone_index_set(source=source, by=request.user, **form.cleaned_data)
        except IndexSetRefused as refused:
            refused_errors(form, refused)
        else:
            messages.success(request, _("%(set)s created as a draft.") % {"set": clone})
            return redirect("indexsets:detail", pk=clone.pk)
    context = {"index_set": source, "form": form, "title": _("Copy to a new year")}
    return render(request, "indexsets/form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def index_set_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a draft's name, unit type, year, legal basis and bands."""
    draft = queries.get_draft_for_editor(request.user, pk)
    form = DetailsForm.for_set(draft, queries.set_rows(draft).bands, request.POST or None)
    if form.is_valid():
        services.update_details(index_set=draft, by=request.user, **form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("indexsets:detail", pk=draft.pk)
    context = {"index_set": draft, "form": form, "title": _("Details and bands")}
    return render(request, "indexsets/form.html", context)


@require_http_methods(["GET"])
@login_required
def index_set_diff(request: AuthedRequest) -> HttpResponse:
    """Compare two sets or two versions: added, removed and changed nodes, and maxima."""
    sets = queries.comparable_sets(request.user)
    by_pk = {str(index_set.pk): index_set for index_set in sets}
    old, new = by_pk.get(request.GET.get("old", "")), by_pk.get(request.GET.get("new", ""))
    diff = queries.diff_sets(old, new) if old and new else None
    context = {"sets": sets, "old": old, "new": new, "diff": diff}
    return render(request, "indexsets/diff.html", context)


# -- the tree editor ----------------------------------------------------------------------------


def _node_form(
    request: AuthedRequest, draft: IndexSet, criterion: Criterion | None, parent: Criterion | None
) -> NodeForm:
    rows = queries.set_rows(draft)
    by_id = {row.pk: row for row in rows.criteria}
    anchor = criterion or parent
    top = anchor
    while top is not None and top.parent_id:
        top = by_id[top.parent_id]
    is_top = (criterion.parent_id is None) if criterion else parent is None
    is_leaf = criterion is None or not any(row.parent_id == criterion.pk for row in rows.criteria)
    category = top.kind if top is not None else Criterion.Kind.NORMAL
    initial = (
        NodeForm.initial_for(criterion, str(draft.revision))
        if criterion
        else {"code": _next_code(parent, rows.criteria), "revision": str(draft.revision)}
    )
    return NodeForm(
        request.POST or None,
        initial=initial,
        is_leaf=is_leaf,
        is_top=is_top,
        category=category,
    )


def _next_code(parent: Criterion | None, rows: list[Criterion]) -> str:
    siblings = [row for row in rows if row.parent_id == (parent.pk if parent else None)]
    number = len(siblings) + 1
    return f"{parent.code}.{number}" if parent else str(number)


@require_http_methods(["GET", "POST"])
@login_required
def node_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a criterion at the top level or under `?parent=`."""
    draft = queries.get_draft_for_editor(request.user, pk)
    parent_id = request.GET.get("parent", "")
    parent = (
        queries.get_criterion_for_editor(request.user, draft, int(parent_id))
        if parent_id.isdigit()
        else None
    )
    form = _node_form(request, draft, None, parent)
    if form.is_valid():
        try:
            services.add_criterion(
                index_set=draft, by=request.user, parent=parent, values=form.values()
            )
        except IndexSetRefused as refused:
            refused_errors(form, refused)
        else:
            messages.success(request, _("Criterion added."))
            return redirect("indexsets:detail", pk=draft.pk)
    context = {"index_set": draft, "form": form, "parent": parent, "preview": PreviewForm()}
    return render(request, "indexsets/node_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def node_edit(request: AuthedRequest, pk: int, node: int) -> HttpResponse:
    """Edit a criterion (and its rule, with a live preview); move it under another parent."""
    draft = queries.get_draft_for_editor(request.user, pk)
    criterion = queries.get_criterion_for_editor(request.user, draft, node)
    form = _node_form(request, draft, criterion, None)
    if form.is_valid():
        try:
            services.update_criterion(
                criterion=criterion,
                by=request.user,
                values=form.values(),
                revision=form.cleaned_data["revision"],
            )
        except IndexSetRefused as refused:
            refused_errors(form, refused)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(f"{draft_url(draft)}#node-{criterion.pk}")
    context = {
        "index_set": draft,
        "form": form,
        "criterion": criterion,
        "rows": _current_preview(criterion, form) if request.method == "GET" else [],
        "preview": PreviewForm(),
        "move_form": MoveForm(
            initial={"parent": criterion.parent_id or ""},
            choices=queries.parent_choices(draft, criterion),
        ),
    }
    return render(request, "indexsets/node_form.html", context)


def _current_preview(criterion: Criterion, form: NodeForm) -> list:
    """The engine's points for the saved rule, shown when the edit page opens."""
    if not form.is_leaf:
        return []
    values = {key: getattr(criterion, key) for key in services.NODE_FIELDS}
    check = services.check_node(values=values, is_leaf=True, category=form.category)
    return preview_rows(check.node) if check.node else []


def draft_url(draft: IndexSet) -> str:
    return reverse("indexsets:detail", args=[draft.pk])


@require_POST
@login_required
def node_move(request: AuthedRequest, pk: int, node: int) -> HttpResponse:
    """Move a criterion up, down, or under another parent."""
    draft = queries.get_draft_for_editor(request.user, pk)
    criterion = queries.get_criterion_for_editor(request.user, draft, node)
    direction = request.POST.get("direction", "")
    try:
        if direction in ("up", "down"):
            services.move_criterion(criterion=criterion, by=request.user, direction=direction)
        else:
            parent_id = request.POST.get("parent", "")
            parent = (
                queries.get_criterion_for_editor(request.user, draft, int(parent_id))
                if parent_id.isdigit()
                else None
            )
            services.reparent_criterion(criterion=criterion, by=request.user, parent=parent)
    except IndexSetRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
    return redirect(f"{draft_url(draft)}#node-{criterion.pk}")


@require_http_methods(["GET", "POST"])
@login_required
def node_delete(request: AuthedRequest, pk: int, node: int) -> HttpResponse:
    """Delete a criterion and everything under it, after confirmation."""
    draft = queries.get_draft_for_editor(request.user, pk)
    criterion = queries.get_criterion_for_editor(request.user, draft, node)
    if request.method == "POST":
        services.delete_criterion(criterion=criterion, by=request.user)
        messages.success(request, _("Criterion %(code)s deleted.") % {"code": criterion.code})
        return redirect("indexsets:detail", pk=draft.pk)
    context = {
        "index_set": draft,
        "question": _("Delete criterion %(code)s. %(name)s and every sub-criterion under it?")
        % {"code": criterion.code, "name": criterion.name},
        "button": _("Delete"),
    }
    return render(request, "indexsets/confirm.html", context)


@require_POST
@login_required
def rule_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """htmx: the points the rule being typed gives for sample inputs (computed by the engine)."""
    draft = queries.get_draft_for_editor(request.user, pk)
    node_id = request.POST.get("node", "")
    criterion = (
        queries.get_criterion_for_editor(request.user, draft, int(node_id))
        if node_id.isdigit()
        else None
    )
    parent_id = request.POST.get("parent", "")
    parent = (
        queries.get_criterion_for_editor(request.user, draft, int(parent_id))
        if parent_id.isdigit() and criterion is None
        else None
    )
    form = _node_form(request, draft, criterion, parent)
    preview = PreviewForm(request.POST)
    rows = []
    if form.is_valid() and form.check and form.check.node and form.is_leaf:
        tried = preview.cleaned_data.get("sample", "") if preview.is_valid() else ""
        rows = preview_rows(form.check.node, tried)
    context = {"form": form, "rows": rows, "is_leaf": form.is_leaf}
    return render(request, "indexsets/node_form.html#rule-preview", context)
