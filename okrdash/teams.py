"""Teams (departments are teams without a parent), memberships with member/lead roles, and manager scopes."""

from __future__ import annotations

from typing import Any

from okrdash import auth, db, people, validate
from okrdash.errors import NotFound, ValidationError

ROLES = ("member", "lead")
# Team names are unique by this module's rule (see okrdash/migrations/core.py); check-then-write takes turns on a
# lock named for it in every app process (db.transaction(serial=...)).


def all_teams() -> list[dict[str, Any]]:
    """Every team with its parent's name and member/lead counts, each department followed by its teams."""
    return db.rows("""
        WITH counts AS (
            SELECT team_id, count(*) AS members, count(*) FILTER (WHERE role = 'lead') AS leads
            FROM memberships GROUP BY team_id
        )
        SELECT t.id, t.name, t.parent_id, p.name AS parent_name, t.description,
               coalesce(c.members, 0) AS members, coalesce(c.leads, 0) AS leads
        FROM teams t
        LEFT JOIN teams p ON p.id = t.parent_id
        LEFT JOIN counts c ON c.team_id = t.id
        ORDER BY coalesce(p.name, t.name), t.parent_id IS NOT NULL, t.name""")


def get(team_id: int) -> dict[str, Any]:
    found = db.row("SELECT id, name, parent_id, description FROM teams WHERE id = ?", [team_id])
    if found is None:
        raise NotFound(f"There is no team with id {team_id}.")
    return found


def teams_of(person_id: int) -> list[dict[str, Any]]:
    """The teams a person belongs to, with their role."""
    return db.rows(
        """SELECT t.id, t.name, m.role, p.name AS parent_name
           FROM memberships m JOIN teams t ON t.id = m.team_id LEFT JOIN teams p ON p.id = t.parent_id
           WHERE m.person_id = ? ORDER BY t.name""",
        [person_id],
    )


def members(team_id: int) -> list[dict[str, Any]]:
    """A team's people with their role, leads first."""
    return db.rows(
        """SELECT p.id, p.name, p.email, m.role
           FROM memberships m JOIN people p ON p.id = m.person_id
           WHERE m.team_id = ? AND p.active ORDER BY m.role = 'member', p.name""",
        [team_id],
    )


def readable_teams(actor: auth.Actor) -> list[dict[str, Any]]:
    """The teams `actor` may read (member of, or within a manager's scope), by name."""
    scope = actor.readable_teams
    return [t for t in all_teams() if scope is None or t["id"] in scope]


def _check_parent(team_id: int | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    get(parent_id)
    if team_id is not None and parent_id in auth.subtree_ids([team_id]):
        raise ValidationError(
            "A team cannot sit under itself or under one of its own sub-teams; pick another parent.", "parent"
        )


def _check_name_free(name: str, except_id: int | None = None) -> None:
    other = db.scalar("SELECT id FROM teams WHERE lower(name) = lower(?)", [name])
    if other is not None and other != except_id:
        raise ValidationError(f"A team called “{name}” already exists.", "name")


def add(actor: auth.Actor, name: str, parent_id: int | None = None, description: str = "") -> int:
    auth.require_admin(actor, "add teams")
    return create(name, parent_id, description)


def create(name: str, parent_id: int | None = None, description: str = "") -> int:
    """Library-level insert (demo data); validates but checks no role."""
    name = validate.title(name, "Team name", field="name")
    description = validate.text(description, "Description", max_len=validate.TITLE_MAX * 5)
    with db.transaction(serial="teams.name") as cur:
        _check_name_free(name)
        _check_parent(None, parent_id)
        team_id = int(cur.execute("SELECT nextval('seq_teams')").fetchone()[0])
        cur.execute(
            "INSERT INTO teams (id, name, parent_id, description) VALUES (?, ?, ?, ?)",
            [team_id, name, parent_id, description],
        )
    return team_id


def update(actor: auth.Actor, team_id: int, *, name: str, parent_id: int | None, description: str = "") -> None:
    """An admin renames a team or moves it under another parent (never under itself or its sub-teams)."""
    auth.require_admin(actor, "edit teams")
    get(team_id)
    name = validate.title(name, "Team name", field="name")
    description = validate.text(description, "Description", max_len=validate.TITLE_MAX * 5)
    with db.transaction(serial="teams.name") as cur:
        _check_name_free(name, except_id=team_id)
        _check_parent(team_id, parent_id)
        cur.execute(
            "UPDATE teams SET name = ?, parent_id = ?, description = ? WHERE id = ?",
            [name, parent_id, description, team_id],
        )


def set_membership(actor: auth.Actor, team_id: int, person_id: int, role: str) -> None:
    """An admin adds a person to a team, or changes their role there."""
    auth.require_admin(actor, "change team memberships")
    join(team_id, person_id, role)


def join(team_id: int, person_id: int, role: str = "member") -> None:
    """Library-level membership upsert (demo data); validates but checks no role."""
    if role not in ROLES:
        raise ValidationError(f"Role must be one of {', '.join(ROLES)}.", "role")
    get(team_id)
    people.get(person_id)
    db.execute(
        """INSERT INTO memberships (team_id, person_id, role) VALUES (?, ?, ?)
           ON CONFLICT (team_id, person_id) DO UPDATE SET role = excluded.role""",
        [team_id, person_id, role],
    )


def remove_membership(actor: auth.Actor, team_id: int, person_id: int) -> None:
    auth.require_admin(actor, "change team memberships")
    db.execute("DELETE FROM memberships WHERE team_id = ? AND person_id = ?", [team_id, person_id])


def manager_scopes() -> list[dict[str, Any]]:
    """Every manager scope: person and team (team None = whole organisation)."""
    return db.rows("""
        SELECT s.person_id, p.name AS person_name, s.team_id, coalesce(t.name, 'Whole organisation') AS team_name
        FROM manager_scopes s JOIN people p ON p.id = s.person_id LEFT JOIN teams t ON t.id = s.team_id
        ORDER BY p.name, team_name""")


def add_manager_scope(actor: auth.Actor, person_id: int, team_id: int | None) -> None:
    """An admin lets a person manage a team's subtree (None: the whole organisation)."""
    auth.require_admin(actor, "change manager scopes")
    grant_manager_scope(person_id, team_id)


def grant_manager_scope(person_id: int, team_id: int | None) -> None:
    """Library-level scope insert (demo data); idempotent."""
    people.get(person_id)
    if team_id is not None:
        get(team_id)
    with db.transaction() as cur:
        exists = cur.execute(
            "SELECT count(*) FROM manager_scopes WHERE person_id = ? AND team_id IS NOT DISTINCT FROM ?",
            [person_id, team_id],
        ).fetchone()[0]
        if not exists:
            cur.execute("INSERT INTO manager_scopes (person_id, team_id) VALUES (?, ?)", [person_id, team_id])


def remove_manager_scope(actor: auth.Actor, person_id: int, team_id: int | None) -> None:
    auth.require_admin(actor, "change manager scopes")
    db.execute(
        "DELETE FROM manager_scopes WHERE person_id = ? AND team_id IS NOT DISTINCT FROM ?", [person_id, team_id]
    )


def department_of(team_id: int) -> dict[str, Any]:
    """The top-most ancestor of a team (itself when it has no parent)."""
    return db.row(
        """WITH RECURSIVE up(id, parent_id, depth) AS (
               SELECT id, parent_id, 0 FROM teams WHERE id = ?
               UNION ALL
               SELECT t.id, t.parent_id, up.depth + 1 FROM teams t JOIN up ON t.id = up.parent_id
           )
           SELECT t.id, t.name FROM up JOIN teams t ON t.id = up.id ORDER BY up.depth DESC LIMIT 1""",
        [team_id],
    )
