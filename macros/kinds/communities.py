"""Example communities: the three communities the chapters follow, each with every number the
chapters state about it, so prose renders `[[ community("id", "key") ]]` instead of repeating it."""

from ..quantities import quantity
from ..render import partial
from . import Kind, known


def check(record, project) -> list:
    """The schema says all there is: names, a summary, a carrier and labelled numbers."""
    return []


def number(data: dict, key: str) -> dict:
    """One number of a community's data; an unknown key is an error that lists the known ones."""
    if key not in data["numbers"]:
        raise LookupError(f"示例社群“{data['id']}”（{data['name']}）没有数字“{key}”；"
                          f"已有：{known(data['numbers'], limit=50)}")
    return data["numbers"][key]


def number_text(data: dict, key: str) -> str:
    """One number of a community as text, with its unit, e.g. 24 小时."""
    found = number(data, key)
    return quantity(found["value"], found.get("unit"))


def community(project, community_id: str, key: str) -> str:
    """One number of an example community from data/communities/, with its unit, e.g. 24 小时."""
    data = project.get("communities", community_id)
    return partial("community_number.html", community=data, number=number(data, key),
                   text=number_text(data, key))


KIND = Kind(name="communities", noun="示例社群", schema="community.schema.json",
            check=check)
