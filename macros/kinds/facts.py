"""Facts: platform rules, limits, legal requirements and house rules, each with a source (or, for
a rule of thumb, a basis), the date it was checked, a confidence and an owner who rechecks it.
Prose shows a fact with `[[ fact("id") ]]`; the 速查 page lists them all by platform."""

import datetime

from .. import links, reports
from ..quantities import quantity
from ..render import partial, sections, web_link
from . import Kind, ref
from .playbooks import review_due

SOURCED = ("官方", "第三方")
HOUSE_PREFIX, HOUSE_PLATFORM = "house_", "运营经验"
# Platforms first, then the laws, then the house rules; any other platform sorts by name before 运营经验.
PLATFORM_ORDER = ("微信", "企业微信", "QQ", "小红书", "抖音", "个人信息保护法", "广告法", "民法典",
                  "价格与促销规定", "互联网群组信息服务管理规定")


def check(record, project) -> list:
    """A source for 官方 and 第三方, a basis for 经验值, an http(s) source, a checked date that is
    not in the future, a known owner, and house_ ids kept for house rules."""
    fact = record.data
    problems = ref(record, ("owner",), fact["owner"], "roles", project)
    confidence = fact["confidence"]
    if confidence in SOURCED and "source" not in fact:
        problems.append(record.problem(
            ("confidence",), f"可信度是“{confidence}”，却没有写出处",
            "加上 source：url、title、publisher（优先用平台帮助中心或法规原文）；"
            "找不到出处就把 confidence 改成 经验值，并用 basis 写明依据"))
    if confidence == "经验值" and "basis" not in fact:
        problems.append(record.problem(
            ("confidence",), "经验值没有写依据",
            "加一行 basis：用一句话说明这个数字从哪里来，例如哪些社群、哪段时间的数据"))
    url = fact.get("source", {}).get("url", "")
    if url and not web_link(url):
        problems.append(record.problem(("source", "url"), f"出处网址“{url}”不是 http(s) 网址",
                                       "写完整的网址，以 https:// 或 http:// 开头"))
    today = datetime.date.today()
    if datetime.date.fromisoformat(fact["checked"]) > today:
        problems.append(record.problem(
            ("checked",), f"核对日期 {fact['checked']} 晚于今天（{today.isoformat()}）",
            "写实际对照出处核对的那一天，不能填将来的日期"))
    if record.id.startswith(HOUSE_PREFIX) and (confidence, fact["platform"]) != ("经验值", HOUSE_PLATFORM):
        problems.append(record.problem(
            ("id",), f"id 以 {HOUSE_PREFIX} 开头表示团队约定，但可信度是“{confidence}”、"
            f"平台是“{fact['platform']}”",
            f"团队约定写 confidence: 经验值 和 platform: {HOUSE_PLATFORM}；"
            f"平台规则或法规就换一个不以 {HOUSE_PREFIX} 开头的 id"))
    return problems


def shown_text(fact: dict, show: str = "value") -> str:
    """What prose shows for a fact: its value with its unit, or its statement (show="statement")."""
    if show not in ("value", "statement"):
        raise ValueError(f'fact("{fact["id"]}", "{show}")：第二个参数只能是 "statement"（显示整句陈述），'
                         "或者不写（显示数值和单位）")
    if show == "statement" or "value" not in fact:
        return fact["statement"]
    return quantity(fact["value"], fact.get("unit"))


def fact(project, fact_id: str, show: str = "value") -> str:
    """A fact from data/facts/ in prose: its value and unit (or statement), with its source on hover."""
    data = project.get("facts", fact_id)
    return partial("fact.html", fact=data, text=shown_text(data, show),
                   href=links.href(project, "facts", fact_id))


def platform_key(platform: str) -> tuple:
    """Sort key for platform groups: known platforms and laws in order, others, house rules last."""
    known_at = PLATFORM_ORDER.index(platform) if platform in PLATFORM_ORDER else len(PLATFORM_ORDER)
    return (platform == HOUSE_PLATFORM, known_at, platform)


def library(project, today: datetime.date | None = None) -> str:
    """平台规则与法规速查: every fact by platform, with source, checked date, owner and 待复审."""
    today = today or datetime.date.today()
    late = {item.ident: item.days for item in reports.overdue(project, today) if item.kind == "facts"}
    names = project.role_names()
    groups: dict[str, list] = {}
    for ident, data in sorted(project.items("facts").items()):
        groups.setdefault(data["platform"], []).append(
            {"fact": data, "text": shown_text(data) if "value" in data else None,
             "owner": names[data["owner"]],
             "due": review_due(data, "checked").isoformat(), "overdue_days": late.get(ident)})
    summary = partial("fact_summary.html", facts=list(project.items("facts").values()),
                      overdue=len(late), today=today.isoformat())
    ordered = sorted(groups.items(), key=lambda group: platform_key(group[0]))
    body = sections((platform, partial("fact_entries.html", entries=entries))
                    for platform, entries in ordered)
    return f"{summary}\n\n{body}" if body else summary


KIND = Kind(name="facts", noun="事实", schema="fact.schema.json", check=check)
