"""Roles: who is on the team. Other kinds refer to roles by id."""

from ..render import partial, sections
from . import Kind


def check(record, project) -> list:
    """Roles refer to nothing else; their schema says all there is."""
    return []


def role_card(project, role_id: str) -> str:
    """A role card from data/roles/, by id: summary, responsibilities and permissions."""
    return partial("role_card.html", role=project.get("roles", role_id))


def library(project) -> str:
    """Every role in data/, each as a card under its own heading."""
    return sections((data["name"], role_card(project, ident))
                    for ident, data in project.items("roles").items())


KIND = Kind(name="roles", label="role", schema="role.schema.json", check=check)
