"""Framework pages: the list, a framework as a collapsible tree with its crosswalk links, a
node's edit page (with its links, added through the shared searchable picker) and the import
page. Views parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError
from apps.core.imports import SpreadsheetImportError
from apps.core.permissions import Action
from apps.municipalities.pages import municipality_for_page

from . import services
from .forms import ImportForm, LinkForm, NodeForm
from .models import CrosswalkLink, Framework, FrameworkNode
from .selectors import framework_tree


def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = Framework.objects.for_user(request.user).select_related("municipality")
    return render(request, "frameworks/framework_list.html", {"frameworks": frameworks})


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(
        Framework.objects.for_user(request.user).select_related("municipality"), pk=pk
    )
    editable = Framework.objects.for_user(request.user, Action.EDIT).filter(pk=pk).exists()
    return render(
        request,
        "frameworks/framework_detail.html",
        {"framework": framework, "roots": framework_tree(framework, request.user), "editable": editable},
    )


def _editable_node(request, pk: int) -> FrameworkNode:
    node = (
        FrameworkNode.objects.for_user(request.user)
        .select_related("framework", "parent")
        .filter(pk=pk)
        .first()
    )
    if node is None:
        raise Http404
    return node


@login_required
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a node's code and titles, and its crosswalk links (added with the searchable picker)."""
    node = _editable_node(request, pk)
    framework = node.framework
    editable = FrameworkNode.objects.for_user(request.user, Action.EDIT).filter(pk=pk).exists()
    targets = FrameworkNode.objects.for_user(request.user).exclude(framework=framework)
    form = NodeForm(initial={f: getattr(node, f) for f in ("code", "title_ko", "title_en", "unit", "source")})
    link_form = LinkForm(targets=targets)
    if request.method == "POST":
        if not editable:
            raise Http404
        try:
            if "add_link" in request.POST:
                link_form = LinkForm(request.POST, targets=targets)
                if link_form.is_valid():
                    services.link_create(from_node=node, actor=request.user, **link_form.cleaned_data)
                    messages.success(request, _("Link added."))
                    return redirect("frameworks:node_edit", pk=node.pk)
            elif "delete_link" in request.POST:
                link = get_object_or_404(
                    CrosswalkLink.objects.filter(from_node=node), pk=request.POST["delete_link"]
                )
                services.link_delete(link=link, actor=request.user)
                messages.success(request, _("Link removed."))
                return redirect("frameworks:node_edit", pk=node.pk)
            else:
                form = NodeForm(request.POST)
                if form.is_valid():
                    services.node_update(node=node, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect("frameworks:detail", pk=framework.pk)
        except ValidationError as exc:
            (link_form if "add_link" in request.POST else form).add_error(None, exc)
    links = node.links_out.select_related("to_node__framework", "created_by")
    return render(
        request,
        "frameworks/node_edit.html",
        {
            "node": node,
            "framework": framework,
            "form": form,
            "link_form": link_form,
            "links": links,
            "editable": editable,
        },
    )


def import_page(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a city's own framework (xlsx or csv): the same service as the command and the API."""
    municipality = municipality_for_page(request, code, Action.EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = error = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.framework_import(
                file=form.cleaned_data["file"],
                municipality=municipality,
                dry_run=form.cleaned_data["dry_run"],
                actor=request.user,
            ).as_dict()
        except SpreadsheetImportError as exc:
            error, report = exc, exc.report.as_dict()
        except (ApplicationError, ValidationError) as exc:
            error = exc
    framework = Framework.objects.filter(municipality=municipality).order_by("code").first()
    return render(
        request,
        "frameworks/import.html",
        {
            "municipality": municipality,
            "form": form,
            "report": report,
            "error": error,
            "framework": framework,
        },
    )
