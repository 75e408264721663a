"""Roles: who is on the team. Other kinds refer to roles by id."""

from . import Kind


def check(record, project) -> list:
    """Roles refer to nothing else; their schema says all there is."""
    return []


KIND = Kind(name="roles", label="role", schema="role.schema.json", check=check)
