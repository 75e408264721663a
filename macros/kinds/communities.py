"""Example communities: the three communities the chapters follow, each with every number the
chapters state about it, so prose renders `[[ community("id", "key") ]]` instead of repeating it."""

from ..quantities import quantity
from ..render import partial
from . import Kind, known


def check(record, project) -> list:
    """The schema says all there is: names, a summary, a carrier and labelled numbers."""
    return []


def community(project, community_id: str, key: str) -> str:
    """One number of an example community from data/communities/, with its unit, e.g. 24 小时."""
    data = project.get("communities", community_id)
    if key not in data["numbers"]:
        raise LookupError(f"示例社群“{community_id}”（{data['name']}）没有数字“{key}”；"
                          f"已有：{known(data['numbers'], limit=50)}。"
                          f"在 data/communities/{community_id}.yml 的 numbers 下加上它，或改用已有的名字")
    number = data["numbers"][key]
    return partial("community_number.html", community=data, number=number,
                   text=quantity(number["value"], number.get("unit")))


KIND = Kind(name="communities", label="community", noun="示例社群", schema="community.schema.json",
            check=check)
