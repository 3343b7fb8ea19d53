"""Admin: quarters, people, teams, memberships and manager scopes, data, and notifications."""

import pandas as pd
import streamlit as st

from okrdash import auth, backup, people, quarters, teams, ui
from okrdash.ui import import_views, notify_admin

actor = ui.page("admin")
st.title("Admin")


def quarters_tab() -> None:
    """The quarters and which one is current."""
    rows = ui.cached(quarters.all_quarters)
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
            "key": "Quarter", "starts_on": "Starts", "ends_on": "Ends", "is_current": "Current"})
    else:
        ui.empty_state("No quarters yet: add the current one below.")
    add_col, current_col = st.columns(2)
    with add_col, st.form("admin_add_quarter"):
        upcoming = quarters.shift(rows[0]["key"], 1) if rows else ui.cached(quarters.current_key)
        key = st.text_input("New quarter", placeholder=upcoming, key="admin_quarter_key",
                            help="Calendar quarters; dates follow from the key.")
        if st.form_submit_button("Add quarter"):
            ui.act(quarters.add, actor, key, success=f"Added {key.strip().upper()}.", rerun=True,
                   clear=["admin_quarter_key"])
    with current_col, st.form("admin_current_quarter"):
        keys, current = ui.cached(quarters.keys), ui.cached(quarters.current_key)
        chosen = st.selectbox("Current quarter", keys, index=keys.index(current) if current in keys else 0)
        if st.form_submit_button("Make current", disabled=not keys):
            ui.act(quarters.set_current, actor, chosen, success=f"{chosen} is now the current quarter.", rerun=True)


def people_tab() -> None:
    """Find, add and edit people."""
    query = st.text_input("Find people", key="admin_people_search", placeholder="Name or email")
    shown, total = ui.cached(people.search, query, limit=100)
    summaries = ui.cached(auth.role_summaries, tuple(p["id"] for p in shown))
    matches = f"{total:,} {'person matches' if total == 1 else 'people match'}"
    st.caption(matches + (f"; the first {len(shown)} are shown — type to narrow." if total > len(shown) else "."))
    st.dataframe(
        pd.DataFrame([{**p, "roles": summaries.get(p["id"], "")} for p in shown],
                     columns=["name", "email", "roles", "is_admin", "active"]),
        hide_index=True,
        column_config={"name": "Name", "email": "Email", "roles": "Roles", "is_admin": "Admin", "active": "Active"},
    )
    add_col, edit_col = st.columns(2)
    with add_col, st.form("admin_add_person"):
        st.markdown("**Add a person**")
        name = st.text_input("Name", key="admin_person_name")
        email = st.text_input("Email", key="admin_person_email", help="Must match their sign-in (OIDC) email.")
        is_admin = st.checkbox("Admin", key="admin_person_admin")
        if st.form_submit_button("Add person"):
            ui.act(people.add, actor, name, email, is_admin=is_admin, success=f"Added {name.strip()}.", rerun=True,
                   clear=["admin_person_name", "admin_person_email", "admin_person_admin"])
    with edit_col:
        by_id = {p["id"]: p for p in shown}
        person_id = st.selectbox("Edit a person (from the list above)", list(by_id),
                                 format_func=lambda i: by_id[i]["name"], index=None, placeholder="Choose a person")
        if person_id is not None:
            person = by_id[person_id]
            with st.form(f"admin_edit_person_{person_id}"):
                name = st.text_input("Name", value=person["name"])
                email = st.text_input("Email", value=person["email"])
                is_admin = st.checkbox("Admin", value=person["is_admin"])
                active = st.checkbox("Active (can sign in)", value=person["active"])
                if st.form_submit_button("Save person"):
                    ui.act(people.update, actor, person_id, name=name, email=email, is_admin=is_admin,
                           active=active, success="Saved.", rerun=True)


def teams_tab() -> None:
    """Teams and the department each belongs to."""
    all_teams = ui.cached(teams.all_teams)
    if all_teams:
        st.dataframe(pd.DataFrame(all_teams), hide_index=True,
                     column_order=["name", "parent_name", "members", "leads", "description"],
                     column_config={"name": "Team", "parent_name": "Part of", "members": "Members",
                                    "leads": "Leads", "description": "Description"})
    else:
        ui.empty_state("No teams yet. Add departments first (no parent), then their teams.")
    names = {t["id"]: t["name"] for t in all_teams}
    parent_options = [None, *names]

    def parent_label(team_id: int | None) -> str:
        return "— none (a department) —" if team_id is None else names[team_id]

    add_col, edit_col = st.columns(2)
    with add_col, st.form("admin_add_team"):
        st.markdown("**Add a team**")
        name = st.text_input("Team name", key="admin_team_name")
        parent = st.selectbox("Part of", parent_options, format_func=parent_label, key="admin_team_parent")
        description = st.text_input("Description (optional)", key="admin_team_description")
        if st.form_submit_button("Add team"):
            ui.act(teams.add, actor, name, parent, description, success=f"Added {name.strip()}.", rerun=True,
                   clear=["admin_team_name", "admin_team_parent", "admin_team_description"])
    with edit_col:
        team_id = st.selectbox("Edit a team", list(names), format_func=names.__getitem__, index=None,
                               placeholder="Choose a team")
        if team_id is not None:
            team = ui.cached(teams.get, team_id)
            with st.form(f"admin_edit_team_{team_id}"):
                name = st.text_input("Team name", value=team["name"])
                parent = st.selectbox("Part of", parent_options, format_func=parent_label,
                                      index=parent_options.index(team["parent_id"]))
                description = st.text_input("Description", value=team["description"])
                if st.form_submit_button("Save team"):
                    ui.act(teams.update, actor, team_id, name=name, parent_id=parent, description=description,
                           success="Saved.", rerun=True)


def roles_tab() -> None:
    """Who is in which team with which role, and which teams a manager sees."""
    names = {t["id"]: t["name"] for t in ui.cached(teams.all_teams)}
    if not names:
        ui.empty_state("Add teams first (Teams tab), then people to them here.")
        return
    team_id = st.selectbox("Team", list(names), format_func=names.__getitem__, key="admin_roles_team")
    crew = ui.cached(teams.members, team_id)
    if crew:
        st.dataframe(pd.DataFrame(crew), hide_index=True, column_order=["name", "email", "role"],
                     column_config={"name": "Name", "email": "Email", "role": "Role"})
    else:
        ui.empty_state(f"{names[team_id]} has no members yet.")
    crew_names = {m["id"]: m["name"] for m in crew}
    add_col, remove_col = st.columns(2)
    with add_col, st.container(border=True):
        st.markdown(f"**Add to {names[team_id]} or change a role**")
        person_id = ui.person_picker("Person", key="admin_member_person")
        role = st.radio("Role", teams.ROLES, horizontal=True, key="admin_member_role")
        if st.button("Save membership", disabled=person_id is None, key="admin_member_save"):
            ui.act(teams.set_membership, actor, team_id, person_id, role,
                   success=f"Saved: {role} of {names[team_id]}.", rerun=True)
    with remove_col, st.form("admin_remove_membership"):
        st.markdown(f"**Remove from {names[team_id]}**")
        person_id = st.selectbox("Member", list(crew_names), format_func=crew_names.get)
        if st.form_submit_button("Remove", disabled=not crew_names):
            ui.act(teams.remove_membership, actor, team_id, person_id,
                   success=f"Removed {crew_names.get(person_id)} from {names[team_id]}.", rerun=True)

    st.subheader("Managers")
    st.caption("A manager reads dashboards, participation and published OKRs of a team and everything below it.")
    scopes = ui.cached(teams.manager_scopes)
    if scopes:
        st.dataframe(pd.DataFrame(scopes), hide_index=True, column_order=["person_name", "team_name"],
                     column_config={"person_name": "Manager", "team_name": "Scope"})
    scope_options = [None, *names]
    add_col, remove_col = st.columns(2)
    with add_col, st.container(border=True):
        person_id = ui.person_picker("Manager", key="admin_scope_person")
        scope = st.selectbox("Scope", scope_options, key="admin_scope_team",
                             format_func=lambda t: "Whole organisation" if t is None else names[t])
        if st.button("Grant scope", disabled=person_id is None, key="admin_scope_grant"):
            ui.act(teams.add_manager_scope, actor, person_id, scope, success="Scope granted.", rerun=True)
    with remove_col, st.form("admin_remove_scope"):
        labels = {i: f"{s['person_name']} — {s['team_name']}" for i, s in enumerate(scopes)}
        index = st.selectbox("Scope to remove", list(labels), format_func=labels.__getitem__)
        if st.form_submit_button("Remove scope", disabled=not scopes):
            chosen_scope = scopes[index]
            ui.act(teams.remove_manager_scope, actor, chosen_scope["person_id"], chosen_scope["team_id"],
                   success="Scope removed.", rerun=True)


def data_tab() -> None:
    """Export, backup, import and restore."""
    st.markdown("**Export** every table for a spreadsheet (CSV; cells that look like formulas are neutralised) or "
                "for analysis (Parquet).")
    export_csv, export_parquet, take_backup = st.columns(3)
    stamp = f"okrdash-{ui.cached(quarters.current_key)}"
    files = [(export_csv, "Prepare CSV export", lambda: backup.export_tables(actor, "csv"), f"{stamp}-tables-csv.zip"),
             (export_parquet, "Prepare Parquet export", lambda: backup.export_tables(actor, "parquet"),
              f"{stamp}-tables-parquet.zip")]
    backups_here = backup.file_backups()
    if backups_here:
        files.append((take_backup, "Prepare a backup", lambda: backup.backup(actor), f"{stamp}-backup.zip"))
    for column, label, make, name in files:
        key = f"admin_file_{name}"
        if column.button(label, key=f"{key}_make"):
            with st.spinner("Writing the files…"):
                ok, data = ui.act(make)
            if ok:
                st.session_state[key] = data
        if key in st.session_state:
            column.download_button(f"Download {name}", st.session_state[key], file_name=name,
                                   mime="application/zip", icon=":material/download:", on_click="ignore")
    st.divider()
    import_views.section(actor)
    st.divider()
    if not backups_here:
        st.info(backup.POSTGRES_BACKUPS, icon=":material/database:")
        return
    st.markdown("**Restore** replaces the whole database with a backup taken here. The current database file is "
                "kept beside it (`….before-restore-<time>.duckdb`), so a restore can itself be undone by an operator.")
    upload = st.file_uploader("Backup file (.zip)", type=["zip"], key="admin_restore_file")
    sure = st.checkbox("I understand that everything entered since that backup will be replaced.",
                       key="admin_restore_sure")
    if st.button("Restore the backup", type="primary", disabled=upload is None or not sure, key="admin_restore"):
        ok, counts = ui.act(backup.restore, actor, upload.getvalue())
        if ok:
            ui.flash(f"Restored {sum(counts.values()):,} rows from {upload.name}.")
            st.rerun()


# Only the open tab runs, and the address keeps it (?admin_tab=People): drawing all five cost five times one.
TABS = {"Quarters": quarters_tab, "People": people_tab, "Teams": teams_tab, "Memberships and roles": roles_tab,
        "Data and backup": data_tab, "Notifications": lambda: notify_admin.tab(actor)}
for tab, draw in zip(st.tabs(list(TABS), key="admin_tab", bind="query-params"), TABS.values(), strict=True):
    if tab.open:
        with tab:
            draw()
