"""The unit's evidence library, evidence attached to items, and the permission-checked file view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits, permissions
from parindex.accounts.http import AuthedRequest
from parindex.accounts.types import AnyUser
from parindex.assessments import pages, queries, services
from parindex.assessments.forms import AttachForm, RegisterForm, UploadForm
from parindex.assessments.models import Evidence
from parindex.core.paging import paginate
from parindex.units.models import Unit


def _library_unit(user: AnyUser, unit_pk: int, *, edit: bool = False) -> Unit:
    """A unit whose library the user may see (404) or, with `edit`, add to (403)."""
    unit = get_object_or_404(Unit, pk=unit_pk)
    can_edit = permissions.can_act_for_unit(user, unit)
    if not (can_edit or permissions.is_office(user) or permissions.is_council(user)):
        raise Http404
    if edit and not can_edit:
        raise PermissionDenied
    return unit


@require_GET
@login_required
def library(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    """A unit's library of evidence: files and registered documents, reused across rounds."""
    unit = _library_unit(request.user, unit_pk)
    search = request.GET.get("search", "")
    documents = queries.evidence_library(unit.pk, search=search)
    context = {
        "unit": unit,
        "search": search,
        "can_add": permissions.can_act_for_unit(request.user, unit),
        "upload_form": UploadForm(),
        "register_form": RegisterForm(),
        **paginate(request, documents),
    }
    return render(request, "assessments/library.html", context)


def _document_form(request: AuthedRequest) -> UploadForm | RegisterForm:
    """The posted upload form, or the form citing a document without a file."""
    if request.POST.get("kind") == "document":
        return RegisterForm(request.POST)
    return UploadForm(request.POST, request.FILES)


def _document(form: UploadForm | RegisterForm) -> dict:
    """The document's fields from a valid form, as `services.add_document` takes them."""
    data = form.cleaned_data
    fields = {key: data[key] for key in ("title", "number", "issued_on", "issuer")}
    return {**fields, "file": data.get("file")}


def _refuse_in(form: UploadForm | RegisterForm, refused: Exception) -> None:
    form.add_error("file" if isinstance(form, UploadForm) else "title", str(refused))


def _say_added(request: AuthedRequest, evidence: Evidence, created: bool) -> None:
    if created:
        messages.success(request, _("“%(title)s” added to the library.") % {"title": evidence})
    else:
        messages.info(
            request,
            _("This document is already in the library as “%(title)s”; that entry is used.")
            % {"title": evidence},
        )


@require_POST
@login_required
@limits.upload
def add(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    """Upload a file or register a document in the unit's library."""
    unit = _library_unit(request.user, unit_pk, edit=True)
    form = _document_form(request)
    if form.is_valid():
        try:
            evidence, created = services.add_document(unit=unit, by=request.user, **_document(form))
        except services.UploadRefused as refused:
            _refuse_in(form, refused)
        else:
            _say_added(request, evidence, created)
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("assessments:library", unit_pk=unit.pk)


# A stored file is inert wherever it shows: a sandbox with no script, form or popup, no resource
# of its own, framed by our pages only, and its type never guessed from its bytes. Inline style
# is left to the browser's own image page (it centres the picture); nothing can run there.
EVIDENCE_FILE_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
)


@require_GET
@login_required
@xframe_options_sameorigin
@limits.download
def evidence_file(request: AuthedRequest, pk: int) -> FileResponse:
    """Stream a stored file to someone allowed to see it.

    PDFs and images open inline only inside a frame (the appraisal page's preview, which the
    browser says with Sec-Fetch-Dest); a link opened on its own downloads the file, so a hostile
    PDF never runs as a page of the site.
    """
    evidence = queries.get_evidence_for_viewer(request.user, pk)
    if not evidence.file:
        raise Http404
    framed = request.headers.get("Sec-Fetch-Dest") in ("iframe", "frame")
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=not (evidence.is_previewable and framed),
        filename=evidence.original_name or f"tai-lieu{evidence.extension}",
    )
    response["Cache-Control"] = "private, max-age=0"
    response["Content-Security-Policy"] = EVIDENCE_FILE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def item_evidence(request: AuthedRequest, pk: int) -> HttpResponse:
    """An item's evidence: what is attached, and attach from the library, upload or register."""
    item = queries.get_item_for_viewer(request.user, pk)
    can_edit = queries.can_edit_item(request.user, item)
    library_unit = get_object_or_404(Unit, pk=queries.library_unit_id(request.user, item))
    upload_form, register_form = UploadForm(), RegisterForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        open_request = queries.open_request_of(item)
        if request.POST.get("kind") in ("file", "document"):
            form = _document_form(request)
            if isinstance(form, RegisterForm):
                register_form = form
            else:
                upload_form = form
            if form.is_valid():
                try:
                    evidence, created = services.attach_new_evidence(
                        item=item,
                        unit=library_unit,
                        by=request.user,
                        request=open_request,
                        **_document(form),
                    )
                except services.UploadRefused as refused:
                    _refuse_in(form, refused)
                except services.Refused as refused:
                    messages.error(request, str(refused))
                else:
                    _say_added(request, evidence, created)
                    if not request.htmx:
                        return redirect("assessments:item_evidence", pk=item.pk)
        else:
            attach = AttachForm(request.POST)
            evidence = None
            if attach.is_valid():
                evidence = Evidence.objects.filter(
                    pk=attach.cleaned_data["evidence"], unit=library_unit
                ).first()
            if evidence is not None:
                try:
                    services.attach_evidence(
                        item=item, evidence=evidence, by=request.user, request=open_request
                    )
                except services.Refused as refused:
                    messages.error(request, str(refused))
                if not request.htmx:
                    return redirect("assessments:item_evidence", pk=item.pk)
    context = {
        **pages.item_evidence_panel(item, request.user),
        "upload_form": upload_form,
        "register_form": register_form,
        "can_edit": can_edit,
    }
    template = "assessments/item_evidence.html"
    if request.htmx:
        template += "#evidence-panel"
    return render(request, template, context)


@require_POST
@login_required
def detach(request: AuthedRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Take a document off an item (it stays in the library)."""
    item = queries.get_item_for_unit(request.user, pk)
    evidence = get_object_or_404(
        Evidence, pk=evidence_pk, unit_id__in=queries.evidence_unit_ids(item)
    )
    try:
        services.detach_evidence(item=item, evidence=evidence, by=request.user)
    except services.Refused as refused:
        messages.error(request, str(refused))
    if request.htmx:
        context = {
            **pages.item_evidence_panel(item, request.user),
            "upload_form": UploadForm(),
            "register_form": RegisterForm(),
            "can_edit": True,
        }
        return render(request, "assessments/item_evidence.html#evidence-panel", context)
    return redirect("assessments:item_evidence", pk=item.pk)
