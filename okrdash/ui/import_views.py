"""Admin → Data and backup → Import: a template, a check without importing and the import itself, for OKRs and for
check-ins. Problems show as a table by line; nothing is imported while any line has one (okrdash.imports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from okrdash import auth, fmt, imports, quarters
from okrdash.errors import OkrError
from okrdash.ui.widgets import cached, download_table

OKR_HELP = (
    "One row per key result: `team, quarter, objective, key_result, kind, metric, unit, baseline, target, "
    "owner_email, due`. Teams, quarters and people must exist already. Rows of a team and quarter share its one "
    "objective: it is created when the team has none, the same title adds key results to it, another title is "
    "refused. Each objective ends up with 2 to 5 key results. Kinds: increase_to, decrease_to, stay_above, "
    "stay_below, milestone. A milestone has no baseline or target: its definition of done goes in the `metric` "
    "column. The `due` date lies inside the quarter, like 2027-03-31 (blank: the quarter's last day)."
)
CHECKIN_HELP = (
    "One row per check-in: `team, quarter, key_result, date, value, confidence, comment, person_email`. The key "
    "result is found by its title in the team's published objective for the quarter. `date` like 2026-11-20, inside "
    "the quarter and not in the future; `value` a number, or `done` / `not done` for a milestone; `confidence` 0 to "
    "10; the person is a member of the team."
)
TABLE_ROWS = 50  # problems shown as a wrapping table; more scroll in a data grid
COLUMN_NAMES = {"team": "Team", "quarter": "Quarter", "objective": "Objective", "objective_is": "Objective is",
                "key_results_added": "Key results added", "status": "Status", "key_result": "Key result",
                "check_ins": "Check-ins", "from": "From", "to": "To"}


def section(actor: auth.Actor) -> None:
    st.markdown("**Import** existing OKRs, then their check-ins, from CSV files (UTF-8, comma-separated, the header "
                "first; header case and extra columns do not matter). Every line is checked first: if any line has "
                "a problem, nothing is imported and the problems are listed by line, the header being line 1.")
    planning = cached(quarters.planning_key)
    _importer("okrs", "OKRs", OKR_HELP, lambda: imports.okr_template(planning), f"okr-template-{planning}.csv",
              "Download the OKR template",
              lambda data, dry_run, publish: imports.import_okrs(actor, data, publish=publish, dry_run=dry_run),
              publish_option=True)
    _importer("checkins", "Check-ins", CHECKIN_HELP, imports.checkin_template, "checkin-template.csv",
              "Download the check-in template",
              lambda data, dry_run, publish: imports.import_checkins(actor, data, dry_run=dry_run))


def _importer(kind: str, title: str, help_text: str, template: Callable[[], bytes],
              template_name: str, template_label: str, run: Callable[[bytes, bool, bool], imports.ImportReport], *,
              publish_option: bool = False) -> None:
    key = f"admin_import_{kind}"
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.caption(help_text)
        st.download_button(template_label, template, file_name=template_name,
                           mime="text/csv", key=f"{key}_template", icon=":material/download:", on_click="ignore")
        with st.form(key):
            upload = st.file_uploader(f"{title} file (.csv)", type=["csv"], key=f"{key}_file")
            publish = st.checkbox("Publish the imported objectives (so they show on Published OKRs and dashboards, "
                                  "and take check-ins)", value=True, key=f"{key}_publish") if publish_option else False
            check_col, import_col = st.columns(2)
            check = check_col.form_submit_button("Check without importing", icon=":material/fact_check:",
                                                 width="stretch")
            go = import_col.form_submit_button("Import", type="primary", icon=":material/upload:", width="stretch")
        if check or go:
            if upload is None:
                st.session_state[f"{key}_outcome"] = OkrError("Choose a CSV file first.")
            else:
                with st.spinner("Checking every line…" if check else "Importing…"):
                    st.session_state[f"{key}_outcome"] = _attempt(run, upload.getvalue(), check, publish)
        outcome = st.session_state.get(f"{key}_outcome")
        if outcome is not None:
            _show(outcome, key)


def _attempt(run: Callable[[bytes, bool, bool], imports.ImportReport], data: bytes, dry_run: bool,
             publish: bool) -> imports.ImportReport | OkrError:
    try:
        return run(data, dry_run, publish)
    except OkrError as error:
        return error


def _show(outcome: Any, key: str) -> None:
    if isinstance(outcome, imports.ImportRefused):
        count = len(outcome.errors)
        st.error(f"Nothing was imported: {count:,} problem{'s' * (count != 1)}. Fix the file and check it again.",
                 icon=":material/error:")
        problems = pd.DataFrame([{"line": "—" if e.line is None else str(e.line), "problem": e.message}
                                 for e in outcome.errors])
        if count <= TABLE_ROWS:  # a static table wraps long messages
            st.table(problems.rename(columns={"line": "Line", "problem": "Problem"}).set_index("Line"))
        else:  # a scrolling one for long lists
            st.dataframe(problems, hide_index=True, width="stretch",
                         column_config={"line": st.column_config.TextColumn("Line", width="small"),
                                        "problem": st.column_config.TextColumn("Problem", width="large")})
        download_table(problems, f"{key}-problems", label="Download the problems (CSV)", key=f"{key}_problems")
    elif isinstance(outcome, OkrError):
        st.error(fmt.inline(outcome.message), icon=":material/error:")
    else:
        (st.info if outcome.dry_run else st.success)(outcome.summary, icon=":material/check_circle:")
        if outcome.details:
            st.dataframe(pd.DataFrame(outcome.details), hide_index=True, width="stretch",
                         column_config=dict(COLUMN_NAMES))
        if getattr(outcome, "readings", None):
            st.markdown("**Read from the key results' titles** (rows whose kind was blank; cells in the file win)")
            st.dataframe(pd.DataFrame(outcome.readings), hide_index=True, width="stretch",
                         column_config={"line": "Line", "key_result": "Key result", "read_as": "Read as",
                                        "S": "Specific", "M": "Measurable", "why": "Why not a pass"})
