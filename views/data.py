"""Data: import spreadsheets (every problem shown before anything is written), templates, export."""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from graph.access import forget
from graph.csv_writer import csv_bytes
from graph.errors import ConfirmationNeeded, CopkgError, DataError
from graph.ingest import export_graph, import_paths, validate_paths, write_templates
from graph.ingest.effects import change_lines
from views.ui.access import can, require_action
from views.ui.lang import current_lang, tr
from views.ui.show import md, page_header, show_error
from views.ui.store import after_import, get_kg, is_read_only
from views.ui.tables import show_table

ACCEPTED = ["xlsx", "csv", "ttl", "nt", "jsonld", "rdf", "owl", "xml"]
EXPORTS = {  # format: (label key, MIME type, file name)
    "ttl": ("app.export_ttl", "text/turtle", "copkg.ttl"),
    "jsonld": ("app.export_jsonld", "application/ld+json", "copkg.jsonld"),
    "csv": ("app.export_csv", "application/zip", "copkg-csv.zip"),
}

user = require_action("browse")
page_header(tr("app.data_title"),
            tr("app.data_caption"))
kg = get_kg()


def _css_text(text: str) -> str:
    """``text`` as a CSS string literal (catalogue text only, never user input)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _uploader_css() -> str:
    """Streamlit writes its upload button and size limit in English: replace them (CSS only,
    with catalogue text) so the page reads in one language."""
    limit = tr("app.upload_limit", mb=int(st.get_option("server.maxUploadSize")),
               types=", ".join(t.upper() for t in ACCEPTED))
    zone = "[data-testid='stFileUploaderDropzone']"
    return (
        "<style>"
        f"{zone} button [data-testid='stMarkdownContainer'] {{display: none;}}"
        f"{zone} button span[data-has-shortcut]::after "
        f"{{content: {_css_text(tr('app.upload_button'))};}}"
        "[data-testid='stFileUploaderDropzoneInstructions'] span {display: none;}"
        "[data-testid='stFileUploaderDropzoneInstructions'] > div::after "
        f"{{content: {_css_text(limit)}; font-size: 0.875rem;}}"
        "</style>"
    )


def _safe_name(name: str) -> str:
    # The file name picks the named graph (graph/<slug(name)>), so keep it; just no folders.
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^\w.\-() ]+", "_", base).strip() or "upload"


def _write(files: Sequence[Any], folder: Path) -> list[Path]:
    paths = []
    for f in files:
        path = folder / _safe_name(f.name)
        path.write_bytes(f.getvalue())
        paths.append(path)
    return paths


def _problems_table(exc: DataError) -> pd.DataFrame:
    """One row per problem; what is wrong and how to fix it in the page's language."""
    lang = current_lang()
    return pd.DataFrame(
        [{"file": p.file, "sheet": p.sheet or "", "row": p.row, "column": p.column or "",
          "problem": p.message.text(lang), "fix": p.fix.text(lang) if p.fix else ""}
         for p in exc.problems],
        columns=["file", "sheet", "row", "column", "problem", "fix"],
    )


def _effects_table(effects: Sequence[Any]) -> pd.DataFrame:
    """Per file and kind, how many resources are added, changed, removed (shown with
    show_table: headers and kind words in the page's language)."""
    return pd.DataFrame(
        [[e.file, kind, *counts] for e in effects for kind, counts in e.counts.items()],
        columns=["file", "kind", "added", "changed", "removed"],
    )


def _change_details(effects: Sequence[Any]) -> None:
    """Each changed resource, old → new values (the lines ``copkg validate|import`` print)."""
    lang = current_lang()
    changes = [f"{e.file}: {line}" for e in effects
               for line in change_lines(e, lang, limit=200)]
    if changes:
        with st.expander(tr("app.effect_details")):
            st.text("\n".join(changes))


#: Before the import, a file's status says what importing would do.
PLANNED = {"imported": "would_import", "replaced": "would_replace"}


def _files_table(reports: Sequence[Any], *, planned: bool = False) -> pd.DataFrame:
    return pd.DataFrame(
        [{"file": r.file, "status": PLANNED.get(r.status, r.status) if planned else r.status,
          "triples": r.triples, "resources": r.resources, "graph": r.graph}
         for r in reports],
        columns=["file", "status", "triples", "resources", "graph"],
    )


# --------------------------------------------------------------------------------- import
# Importing is for editors: viewers get no uploader, and each step checks the role again.
may_import = can("import")
if may_import:
    st.header(tr("app.import"))
read_only = is_read_only(kg)
if read_only and may_import:
    st.info(tr("app.read_only", where=md(kg.location)))
# A new key after each import empties the uploader: the import's result replaces the preview.
uploads = st.file_uploader(
    tr("app.upload"),
    type=ACCEPTED, accept_multiple_files=True,
    key=f"data_upload_{st.session_state.get('data_round', 0)}",
) if may_import else None
if may_import:
    st.markdown(_uploader_css(), unsafe_allow_html=True)

done = st.session_state.get("data_done")
if done is not None and not uploads:
    seconds, reports, changed = done
    st.success(tr("app.imported", s=seconds))
    show_table(_files_table(reports))
    _change_details(changed)
if uploads:
    st.session_state.pop("data_done", None)
    require_action("import")
    digest = hashlib.sha256()
    for f in uploads:
        digest.update(f.name.encode())
        digest.update(f.getvalue())
    fingerprint = digest.hexdigest()
    if st.session_state.get("data_checked", (None,))[0] != fingerprint:
        with st.spinner(tr("app.checking")), \
                tempfile.TemporaryDirectory() as tmp:
            try:
                plan = validate_paths(kg, _write(uploads, Path(tmp)))
                checked: tuple[str, Any, Any] = (
                    fingerprint, (plan.files, plan.effects, plan.confirmations, plan.advice),
                    None)
            except CopkgError as exc:  # DataError: the problems table below
                checked = (fingerprint, None, exc)
        st.session_state["data_checked"] = checked
    _, planned, problem = st.session_state["data_checked"]
    if isinstance(problem, DataError):
        st.error(tr("app.problems",
                    summary=md(problem.summary_text(current_lang()))))
        table = _problems_table(problem)
        show_table(table)
        st.download_button(tr("app.download_problems"),
                           csv_bytes(table),
                           file_name="copkg-import-problems.csv", mime="text/csv",
                           on_click="ignore")
    elif problem is not None:
        show_error(problem, tr("app.cannot_check"))
    else:
        plan_files, effects, confirmations, advice = planned
        st.success(tr("app.valid"))
        show_table(_files_table(plan_files, planned=True))
        replaced = [r.file for r in plan_files if r.status == "replaced"]
        if replaced:
            st.warning(tr("app.will_replace", files=md(", ".join(replaced))))
        if effects:
            st.caption(tr("app.effects"))
            show_table(_effects_table(effects))
            _change_details(effects)
        confirmed = True
        if confirmations:  # removals, emptied sheets, redefinitions: a person confirms them
            st.warning(tr("app.confirm_needed") + "\n\n"
                       + "\n".join(f"- {md(r.text(current_lang()))}" for r in confirmations))
            if advice:  # first how to ADD the rows (another file name); confirming replaces
                st.info(tr("ingest.advice_head") + "\n\n"
                        + "\n".join(f"- {md(a.text(current_lang()))}" for a in advice)
                        + "\n\n" + tr("app.replace_only"))
            confirmed = st.checkbox(tr("app.confirm_box"), key="data_confirm")
        if st.button(tr("app.import_button"), type="primary",
                     disabled=read_only or not confirmed, key="data_import"):
            who = require_action("import").name
            bar = st.progress(0.0, text=tr("app.importing"))

            def _advance(stage: str, done: float) -> None:
                bar.progress(min(1.0, done),
                             text=f"{tr('app.importing')} {tr(f'ingest.stage_{stage}')}")

            try:
                with tempfile.TemporaryDirectory() as tmp:
                    report = import_paths(kg, _write(uploads, Path(tmp)), who=who,
                                          replace=bool(confirmations), progress=_advance)
            except ConfirmationNeeded as exc:  # the files changed since they were checked
                st.error(md(exc.text(current_lang())))
            except CopkgError as exc:
                show_error(exc, tr("app.import_failed"))
            else:
                after_import()
                st.session_state.pop("data_checked", None)
                st.session_state["data_done"] = (report.elapsed_s, report.files, report.effects)
                st.session_state["data_round"] = st.session_state.get("data_round", 0) + 1
                st.rerun()

# --------------------------------------------------------------------------------- templates
st.header(tr("app.templates"))
st.caption(tr("app.templates_caption"))


def _template_bytes(fmt: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_templates(Path(tmp), fmt)
        if fmt == "xlsx" and len(paths) == 1:
            return Path(paths[0]).read_bytes()
        return _zip(paths)


def _zip(paths: Sequence[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in paths:
            path = Path(path)
            if path.is_dir():
                for child in sorted(path.rglob("*")):
                    if child.is_file():
                        zf.write(child, child.relative_to(path))
            else:
                zf.write(path, path.name)
    return buffer.getvalue()


c1, c2 = st.columns(2)
with c1:
    st.download_button(tr("app.template_xlsx"),
                       lambda: _template_bytes("xlsx"), file_name="copkg-template.xlsx",
                       mime="application/vnd.openxmlformats-officedocument."
                       "spreadsheetml.sheet", key="tpl_xlsx", on_click="ignore")
with c2:
    st.download_button(tr("app.template_csv"),
                       lambda: _template_bytes("csv"), file_name="copkg-templates.zip",
                       mime="application/zip", key="tpl_csv", on_click="ignore")

# --------------------------------------------------------------------------------- export
st.header(tr("app.export"))
st.caption(tr("app.export_caption"))


if can("see_personal"):
    include_personal = st.checkbox(tr("access.include_personal"), key="export_personal")
else:
    include_personal = False
    st.caption(tr("access.personal_hidden"))


def _export_bytes(fmt: str, personal: bool) -> bytes:
    # The role is checked when the file is made, not only when the box is shown.
    personal = personal and can("see_personal")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / EXPORTS[fmt][2]
        result = Path(export_graph(kg, fmt, out, include_personal=personal))
        if result.is_dir():
            return _zip([result])
        return result.read_bytes()


for col, (fmt, (label_key, mime, file_name)) in zip(st.columns(len(EXPORTS)), EXPORTS.items(),
                                                 strict=True):
    with col:
        st.download_button(tr(label_key), partial(_export_bytes, fmt, include_personal),
                           file_name=file_name,
                           mime=mime, key=f"export_{fmt}", on_click="ignore")

# --------------------------------------------------------------------------------- erasure
def erasure_section() -> None:
    """Forget a person (admins): preview what goes, then erase; checked again in the action."""
    st.header(tr("access.forget_header"))
    st.caption(tr("access.forget_help"))
    person = st.text_input(tr("access.forget_person"), key="data_forget_person")
    if not person.strip():
        return
    try:
        preview = forget(kg, person, who=user.name, dry_run=True)
    except CopkgError as exc:
        show_error(exc)
        return
    st.code("\n".join(preview.lines(current_lang(), dry_run=True)), language=None)
    if not preview.removed:
        return
    if is_read_only(kg):
        st.info(tr("app.read_only", where=md(kg.location)))
        return
    if st.button(tr("access.forget_confirm", name=preview.label), type="primary",
                 key="data_forget"):
        who = require_action("forget").name
        try:
            report = forget(kg, person, who=who)
        except CopkgError as exc:
            show_error(exc)
            return
        after_import()
        st.success(tr("access.forgotten", n=report.removed))


if can("forget"):
    erasure_section()

# Nothing on this page belongs in the URL except the language (uploads cannot be linked).
if list(st.query_params) not in ([], ["lang"]):
    lang = st.query_params.get("lang")
    st.query_params.from_dict({"lang": lang} if lang else {})
