"""A small organisation with one person per role, built through the library (no demo data needed)."""

from __future__ import annotations

from dataclasses import dataclass

from okrdash import auth, people, quarters, teams


@dataclass
class SmallOrg:
    quarter: str  # current quarter
    next_quarter: str
    department: int  # "Product": parent of growth and core
    growth: int
    core: int
    elsewhere: int  # "Sales": another department, outside the manager's scope
    admin: auth.Actor
    lead: auth.Actor  # lead of growth
    member: auth.Actor  # member of growth
    member2: auth.Actor  # member of growth
    outsider: auth.Actor  # member of core only
    manager: auth.Actor  # manages the Product department (growth and core)
    stranger: auth.Actor  # manages Sales only, member of nothing

    def refresh(self, actor: auth.Actor) -> auth.Actor:
        return auth.load(actor.person_id)


def small_org(quarter: str = "2026-Q4") -> SmallOrg:
    quarters.ensure(quarters.shift(quarter, -1))
    quarters.ensure(quarter, current=True)
    quarters.ensure(quarters.shift(quarter, 1))
    department = teams.create("Product")
    growth = teams.create("Growth", department)
    core = teams.create("Core", department)
    elsewhere = teams.create("Sales")

    def person(name: str, *, admin: bool = False) -> int:
        return people.create(name, f"{name.split()[0].lower()}@example.com", is_admin=admin)

    admin = person("Ada Admin", admin=True)
    lead = person("Lee Lead")
    member = person("Mia Member")
    member2 = person("Max Member")
    outsider = person("Olga Outsider")
    manager = person("Mona Manager")
    stranger = person("Sam Stranger")
    teams.join(growth, lead, "lead")
    teams.join(growth, member)
    teams.join(growth, member2)
    teams.join(core, outsider)
    teams.grant_manager_scope(manager, department)
    teams.grant_manager_scope(stranger, elsewhere)
    return SmallOrg(
        quarter=quarter, next_quarter=quarters.shift(quarter, 1), department=department, growth=growth, core=core,
        elsewhere=elsewhere, admin=auth.load(admin), lead=auth.load(lead), member=auth.load(member),
        member2=auth.load(member2), outsider=auth.load(outsider), manager=auth.load(manager),
        stranger=auth.load(stranger),
    )
