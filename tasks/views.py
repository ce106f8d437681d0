"""The office's import flow: upload or paste → preview and correct → confirm (or discard).

The draft lives in an ImportDraft row between requests, so a reload loses
nothing; confirming writes the plan in one transaction (tasks.importing.writer).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.editing import sentences

from .access import can_import
from .forms import DraftHeaderForm, DraftItemForm, ImportUploadForm, UnitChoiceForm
from .importing import Catalogue, DocumentError, Draft, read_document
from .importing.corrections import draft_correct, item_initial
from .importing.writer import ADDED, CHANGED, REMOVED, RENUMBERED, workplan_compare, workplan_import
from .models import ImportDraft, Section


def _office_only(request) -> None:
    if not can_import(request.user):
        raise PermissionDenied


class DraftGone(Exception):
    """The draft is not (or no longer) the user's: imported or discarded in another window, or somebody else's."""


def _draft_for(request, pk: int) -> ImportDraft:
    """The office user's own draft; 403 for anyone else, DraftGone for a draft that is not (or no longer) theirs."""
    _office_only(request)
    draft = ImportDraft.objects.filter(pk=pk, created_by=request.user).first()
    if draft is None:
        raise DraftGone
    return draft


def _gone(request):
    """Back to the import page, saying why: the second window's 确认导入 after the first imported the draft."""
    messages.warning(request, _("这份导入草稿已不存在：可能已在另一个窗口导入或放弃。已导入的内容请到“全部任务”查看。"))
    return redirect("import_start")


@login_required
def import_start(request):
    """Upload a file or paste text; a readable document becomes a draft and the preview opens."""
    _office_only(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, filename = form.document()
        try:
            draft = read_document(
                data,
                filename=filename,
                catalogue=Catalogue.load(),
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"] or None,
            )
        except DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            if draft.year is None:  # every date hangs on the year: ask for it before reading the items
                form.add_error("year", _("文件中没有找到年度，请填写年度后重新生成预览。"))
                return render(request, "tasks/import_start.html", {"form": form, "drafts": []})
            saved = ImportDraft.objects.create(created_by=request.user, filename=filename, content=draft.as_json())
            return redirect("import_preview", saved.pk)
    drafts = ImportDraft.objects.filter(created_by=request.user)[:10]
    return render(request, "tasks/import_start.html", {"form": form, "drafts": drafts})


@login_required
def import_preview(request, pk: int):
    """Show the draft with what is uncertain; POST saves corrections, and with ``confirm`` writes the plan."""
    try:
        saved = _draft_for(request, pk)
    except DraftGone:
        return _gone(request)
    draft = Draft.from_json(saved.content)
    catalogue = Catalogue.load()
    bound = request.POST if request.method == "POST" else None
    header, items, units = _forms(draft, saved, bound)
    if bound is not None:
        if all(form.is_valid() for form in [header, *items, *units]):
            draft = draft_correct(
                draft=draft, facts=header.cleaned_data, items=[f.cleaned_data for f in items], catalogue=catalogue
            )
            saved.content = draft.as_json()
            saved.mapping = {
                form.unit_name: form.cleaned_data["department"].pk for form in units if form.cleaned_data["department"]
            }
            saved.save(update_fields=["content", "mapping"])
            if "confirm" in request.POST:
                return _confirm(request, saved, draft, catalogue)
            messages.success(request, _("已保存修改。"))
            return redirect("import_preview", saved.pk)
        messages.error(request, _("有填写错误，请按提示修改。"))
    comparison = workplan_compare(draft=draft) if draft.title and draft.year else None
    return render(
        request,
        "tasks/import_preview.html",
        {
            "saved": saved,
            "draft": draft,
            "header": header,
            "sections": _sections(draft, items),
            "units": units,
            "names": [d.name for d in catalogue.departments],
            "uncertain": draft.uncertain(),
            "changes": comparison.of_kind(ADDED, CHANGED, RENUMBERED, REMOVED) if comparison else [],
            "needing_decision": comparison.needing_decision if comparison else [],
            "existing": comparison.workplan if comparison else None,
        },
    )


def _forms(draft: Draft, saved: ImportDraft, data):
    header = DraftHeaderForm(
        data,
        initial={
            "title": draft.title,
            "year": draft.year,
            "issuer": draft.issuer,
            "published_on": draft.published_on,
        },
    )
    items = [DraftItemForm(data, prefix=f"item-{n}", initial=item_initial(item)) for n, item in enumerate(draft.items)]
    unknown = sorted({d.name for item in draft.items for d in item.departments if not d.known})
    units = []
    for n, name in enumerate(unknown):
        units.append(
            UnitChoiceForm(data, prefix=f"unit-{n}", initial={"department": saved.mapping.get(name)}, unit_name=name)
        )
    return header, items, units


def _sections(draft: Draft, forms: list[DraftItemForm]) -> list[dict]:
    """Sections with (item, form) pairs for the template."""
    paired = iter(zip(draft.items, forms, strict=True))
    return [
        {"section": s, "label": Section.label(s.ordinal, s.title), "items": [next(paired) for _ in s.items]}
        for s in draft.sections
    ]


def _confirm(request, saved: ImportDraft, draft: Draft, catalogue: Catalogue):
    try:
        summary = workplan_import(
            draft=draft,
            catalogue=catalogue,
            source=saved.filename,
            accept_changes="accept_changes" in request.POST,
            mapping=saved.mapping,
        )
    except (DocumentError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, DocumentError) else sentences(exc.messages))
        return redirect("import_preview", saved.pk)
    saved.delete()
    messages.success(request, str(summary))
    return redirect("task_list")


@login_required
@require_POST
def import_discard(request, pk: int):
    """Delete the draft; nothing was written."""
    try:
        _draft_for(request, pk).delete()
    except DraftGone:
        return _gone(request)
    messages.success(request, _("已放弃这份导入草稿，未写入任何内容。"))
    return redirect("import_start")
