"""Who is acting and what they may do. Every library function that reads or writes checks here.

Roles: member and lead (per team, from memberships), manager (a subtree of teams, or the whole organisation, from
manager_scopes), admin (a flag on the person). A person may hold several. Refusals raise PermissionDenied with a
message saying who may do it, which pages show as is.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from okrdash import db
from okrdash.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class Actor:
    """The person using the app and the teams their roles cover (ids), loaded once per script run."""

    person_id: int
    name: str
    email: str
    is_admin: bool = False
    member_of: frozenset[int] = field(default_factory=frozenset)
    lead_of: frozenset[int] = field(default_factory=frozenset)
    manages: frozenset[int] = field(default_factory=frozenset)
    manages_all: bool = False

    @property
    def is_manager(self) -> bool:
        return self.manages_all or bool(self.manages)

    @property
    def is_lead(self) -> bool:
        return bool(self.lead_of)

    def is_member(self, team_id: int) -> bool:
        return team_id in self.member_of

    def leads(self, team_id: int) -> bool:
        return team_id in self.lead_of

    def manages_team(self, team_id: int) -> bool:
        return self.manages_all or team_id in self.manages

    def can_read_team(self, team_id: int) -> bool:
        """Members read their teams; managers read their subtree."""
        return self.is_member(team_id) or self.manages_team(team_id)

    @property
    def readable_teams(self) -> frozenset[int] | None:
        """Team ids this person may read, or None meaning every team."""
        return None if self.manages_all else self.member_of | self.manages


def load(person_id: int) -> Actor:
    """The actor for a person id; raises NotFound for unknown or deactivated people."""
    person = db.row("SELECT id, name, email, is_admin FROM people WHERE id = ? AND active", [person_id])
    if person is None:
        raise NotFound("That person does not exist or has been deactivated.")
    roles = db.rows("SELECT team_id, role FROM memberships WHERE person_id = ?", [person_id])
    scopes = db.column("SELECT team_id FROM manager_scopes WHERE person_id = ?", [person_id])
    manages_all = any(team is None for team in scopes)
    managed = frozenset() if manages_all else frozenset(subtree_ids([t for t in scopes if t is not None]))
    return Actor(
        person_id=person["id"],
        name=person["name"],
        email=person["email"],
        is_admin=bool(person["is_admin"]),
        member_of=frozenset(r["team_id"] for r in roles),
        lead_of=frozenset(r["team_id"] for r in roles if r["role"] == "lead"),
        manages=managed,
        manages_all=manages_all,
    )


def load_by_email(email: str) -> Actor | None:
    """The actor whose email matches (case-insensitive), or None when nobody has it."""
    person_id = db.scalar("SELECT id FROM people WHERE email = lower(trim(?)) AND active", [email])
    return None if person_id is None else load(person_id)


def subtree_ids(roots: list[int]) -> set[int]:
    """The given teams and every team below them."""
    if not roots:
        return set()
    placeholders = ", ".join("?" for _ in roots)
    return set(
        db.column(
            f"""
            WITH RECURSIVE sub(id) AS (
                SELECT id FROM teams WHERE id IN ({placeholders})
                UNION
                SELECT t.id FROM teams t JOIN sub ON t.parent_id = sub.id
            )
            SELECT id FROM sub""",
            roots,
        )
    )


def role_summaries(person_ids: Sequence[int] | None = None) -> dict[int, str]:
    """Per person id (all, or those given), their roles in short: 'lead of Growth, manager of Product, admin'."""
    if person_ids is not None and not person_ids:
        return {}
    params = [] if person_ids is None else list(person_ids)

    def only(column: str) -> str:
        return "" if person_ids is None else f"AND {column} IN ({', '.join('?' for _ in person_ids)})"

    parts: dict[int, list[str]] = {}
    for r in db.rows(f"""
        SELECT m.person_id, m.role, t.name FROM memberships m JOIN teams t ON t.id = m.team_id
        WHERE true {only("m.person_id")} ORDER BY m.role = 'member', t.name""", params):
        parts.setdefault(r["person_id"], []).append(("lead of " if r["role"] == "lead" else "") + r["name"])
    for r in db.rows(f"""
        SELECT s.person_id, coalesce(t.name, 'the organisation') AS name
        FROM manager_scopes s LEFT JOIN teams t ON t.id = s.team_id WHERE true {only("s.person_id")}
        ORDER BY name""", params):
        parts.setdefault(r["person_id"], []).append(f"manager of {r['name']}")
    for person_id in db.column(f"SELECT id FROM people WHERE is_admin {only('id')}", params):
        parts.setdefault(person_id, []).append("admin")
    return {person_id: ", ".join(items) for person_id, items in parts.items()}


def configured_admins() -> set[str]:
    """Emails listed in OKRDASH_ADMINS (comma-separated): admins from the first sign-in on."""
    return {e.strip().lower() for e in os.environ.get("OKRDASH_ADMINS", "").split(",") if e.strip()}


def team_name(team_id: int) -> str:
    return db.scalar("SELECT name FROM teams WHERE id = ?", [team_id]) or f"team {team_id}"


def require_admin(actor: Actor, doing: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied(f"Only admins may {doing}. {actor.name} is not an admin.")


def require_lead(actor: Actor, team_id: int, doing: str) -> None:
    if not actor.leads(team_id):
        raise PermissionDenied(f"Only the lead of {team_name(team_id)} may {doing}. {actor.name} does not lead it.")


def require_member(actor: Actor, team_id: int, doing: str) -> None:
    if not actor.is_member(team_id):
        raise PermissionDenied(
            f"Only members of {team_name(team_id)} may {doing}. {actor.name} is not a member of it."
        )


def require_reader(actor: Actor, team_id: int, doing: str = "see this team") -> None:
    if not actor.can_read_team(team_id):
        raise PermissionDenied(
            f"Only members of {team_name(team_id)} and managers above it may {doing}. "
            f"{actor.name} is neither."
        )


def require_manager(actor: Actor, team_id: int, doing: str) -> None:
    if not actor.manages_team(team_id):
        raise PermissionDenied(
            f"Only managers whose scope includes {team_name(team_id)} may {doing}. {actor.name} is not one."
        )


# Page access, decided here so a page opened by its URL refuses with the same rule the menu uses.
PAGE_RULES: dict[str, tuple] = {
    "home": (lambda a: True, ""),
    "strategy": (lambda a: True, ""),
    "okrs": (lambda a: True, ""),
    "notifications": (lambda a: True, ""),  # everyone's own choices; the unsubscribe link needs no sign-in (app.py)
    "survey": (lambda a: bool(a.member_of), "Surveys are for team members; {name} belongs to no team."),
    "survey_manage": (
        lambda a: a.is_lead or a.is_manager,
        "Survey management is for team leads and managers; {name} is neither.",
    ),
    "workshop": (lambda a: bool(a.member_of), "The workshop is for team members; {name} belongs to no team."),
    "checkins": (lambda a: bool(a.member_of), "Check-ins are for team members; {name} belongs to no team."),
    "dashboards": (
        lambda a: bool(a.member_of) or a.is_manager,
        "Dashboards are for team members and managers; {name} is neither.",
    ),
    "admin": (lambda a: a.is_admin, "The Admin page is for admins; {name} is not an admin."),
}


def may_open(actor: Actor, page: str) -> bool:
    allowed, _ = PAGE_RULES[page]
    return bool(allowed(actor))


def refusal(actor: Actor, page: str) -> str:
    """Why `actor` may not open `page` (empty when they may)."""
    allowed, message = PAGE_RULES[page]
    return "" if allowed(actor) else message.format(name=actor.name)
