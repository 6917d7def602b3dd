"""Pages of data calls: a municipality's calls (and the form that opens one), a call's
completeness (per department, every item) with its close button, and an owner's page of what
they owe, each linking to the existing forms where values and progress are entered."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import ApplicationError
from apps.core.permissions import may_run_data_calls, sees_work_in_progress
from apps.municipalities.pages import municipality_for_page

from .forms import DataCallForm
from .models import DataCall
from .selectors import by_department, call_rows, owed_rows
from .services import data_call_close, data_call_open


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return getattr(error, "message", None) or str(error)


def _municipality(request: HttpRequest, code: str):
    """The page's municipality; 404 for anybody who does not see its work in progress."""
    municipality = municipality_for_page(request, code)
    if not sees_work_in_progress(request.user, municipality.pk):
        raise Http404
    return municipality


def _call(request: HttpRequest, municipality, pk: int) -> DataCall:
    return get_object_or_404(DataCall.objects.for_user(request.user).filter(municipality=municipality), pk=pk)


@login_required
def data_call_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(request, code)
    runs = may_run_data_calls(request.user, municipality.pk)
    form = DataCallForm(request.POST or None) if runs else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                call = data_call_open(municipality=municipality, actor=request.user, **form.cleaned_data)
            except (ApplicationError, ValidationError) as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Data call opened."))
                return redirect("datacalls:detail", code=code, pk=call.pk)
    calls = DataCall.objects.for_user(request.user).filter(municipality=municipality).order_by("-year", "-id")
    return render(
        request,
        "datacalls/data_call_list.html",
        {"municipality": municipality, "calls": list(calls), "form": form},
    )


@login_required
def data_call_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The completeness page: counts per department, then every item with its owner."""
    municipality = _municipality(request, code)
    call = _call(request, municipality, pk)
    rows = call_rows(call)
    return render(
        request,
        "datacalls/data_call_detail.html",
        {
            "municipality": municipality,
            "call": call,
            "rows": rows,
            "reported": sum(row.reported for row in rows),
            "departments": by_department(rows),
            "may_close": call.is_open and may_run_data_calls(request.user, municipality.pk),
        },
    )


@login_required
@require_POST
def data_call_close_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    municipality = _municipality(request, code)
    call = _call(request, municipality, pk)
    try:
        data_call_close(data_call=call, actor=request.user)
    except ApplicationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Data call closed; its completeness record is frozen."))
    return redirect("datacalls:detail", code=code, pk=pk)


@login_required
def data_call_owed(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """What one owner (``?owner=`` e-mail, by default the user's own) or one department
    (``?department=``) owes to the call, with links to the forms that enter it."""
    municipality = _municipality(request, code)
    call = _call(request, municipality, pk)
    department = request.GET.get("department")
    owner = request.GET.get("owner", "" if department is not None else request.user.email).strip()
    rows = owed_rows(call_rows(call), owner=owner, department=department)
    return render(
        request,
        "datacalls/data_call_owed.html",
        {
            "municipality": municipality,
            "call": call,
            "rows": rows,
            "owner": owner,
            "department": department,
        },
    )
