"""Issue 18, kits 6–10 and the review's §1/§3.1 gaps: each kit has its SOP, checklist, templates,
metrics and sourced facts, a section in the chapter a reader would open, and the wording the kit
promises (an honest risk notice, an anti-scam notice, one answer on bots); the reply-script
library holds 20 answered questions."""

import re

import pytest

from conftest import ROOT
from macros.loader import load

PROJECT = load(ROOT)

# kit: chapter, section heading, and the data the section or its chapter embeds.
KITS = {
    "support_sla": {
        "chapter": "structure", "heading": "客服响应与工单", "sop": "support_ticket",
        "checklists": ["support_shift_handover"],
        "templates": ["support_holding_reply", "support_ticket_close"],
        "metrics": ["reply_within_target_rate", "ticket_resolved_in_time_rate"],
        "facts": ["house_ticket_urgent_escalation", "house_ticket_complaint_progress",
                  "consumer_online_return_7_days"],
    },
    "automation": {
        "chapter": "risk-compliance", "heading": "自动化与机器人", "sop": "automation_governance",
        "checklists": ["automation_review"], "templates": ["auto_reply_notice"], "metrics": [],
        "facts": ["wechat_plugin_ban", "wechat_group_tool_ban_precedent", "wecom_plugin_ban",
                  "wecom_official_group_tools", "qq_official_bot", "wecom_api_license"],
    },
    "moments": {
        "chapter": "activation-retention", "heading": "朋友圈", "sop": "moments_posting",
        "checklists": ["moments_weekly"], "templates": ["moments_post"],
        "metrics": ["moments_engagement_rate"],
        "facts": ["house_moments_daily_posts", "wechat_moments_plugins", "wechat_moments_paste_fold",
                  "wecom_customer_moments_enterprise_post"],
    },
    "membership": {
        "chapter": "monetization", "heading": "会员等级、积分与权益", "sop": "membership_program",
        "checklists": ["membership_launch"],
        "templates": ["points_rules_notice", "membership_change_notice"],
        "metrics": ["points_redemption_rate", "benefit_cost_ratio"],
        "facts": ["consumer_prepaid_contract", "house_benefit_change_notice"],
    },
    "event_safety": {
        "chapter": "activation-retention", "heading": "线下活动安全与免责", "sop": "offline_event_safety",
        "checklists": ["offline_event_safety_check"],
        "templates": ["event_risk_notice", "anti_scam_notice"], "metrics": ["event_incident_rate"],
        "facts": ["organizer_duty_of_care", "civil_code_injury_waiver_void",
                  "civil_code_standard_terms_notice", "large_event_security_permit"],
    },
}


def section(chapter: str, heading: str) -> str:
    """The Markdown of one `###` section of a chapter, up to the next `##` or `###` heading."""
    text = (ROOT / f"playbooks/{chapter}.md").read_text("utf-8")
    match = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^##+ )", text, re.MULTILINE | re.DOTALL)
    assert match, f"{chapter} has no section「{heading}」"
    return match.group(1)


@pytest.mark.parametrize("kit", KITS)
def test_each_kit_has_its_data(kit):
    """The SOP, checklists, templates, metrics and facts of the kit exist and are valid."""
    spec = KITS[kit]
    for kind, idents in (("sops", [spec["sop"]]), ("checklists", spec["checklists"]),
                         ("templates", spec["templates"]), ("metrics", spec["metrics"]),
                         ("facts", spec["facts"])):
        for ident in idents:
            assert ident in PROJECT.records[kind], f"{kind}/{ident} is missing"
            assert PROJECT.records[kind][ident].valid, f"{kind}/{ident} is invalid"


@pytest.mark.parametrize("kit", KITS)
def test_each_kit_sop_has_meaningful_raci(kit):
    """The SOP's owner is accountable for at least one step, and accountability is shared."""
    sop = PROJECT.get("sops", KITS[kit]["sop"])
    accountable = [step["raci"]["A"] for step in sop["steps"]]
    assert sop["owner"] in accountable
    assert len(set(accountable)) >= 2
    if sop["owner"] != "ops_lead":
        assert accountable.count("ops_lead") < len(accountable) / 2


@pytest.mark.parametrize("kit", KITS)
def test_each_kit_has_a_chapter_section_with_its_sop_and_facts(kit):
    """The chapter section embeds the SOP card and cites the kit's non-house facts."""
    spec = KITS[kit]
    text = section(spec["chapter"], spec["heading"])
    assert f'[[ sop("{spec["sop"]}") ]]' in text
    for fact in spec["facts"]:
        if not fact.startswith("house_"):
            assert f'fact("{fact}"' in text, f"「{spec['heading']}」does not cite {fact}"


@pytest.mark.parametrize("kit", KITS)
def test_each_kit_is_on_its_chapter_page(site, kit):
    """The built chapter page shows the kit's SOP, checklists, templates and metrics."""
    spec = KITS[kit]
    html = (site / f"playbooks/{spec['chapter']}/index.html").read_text("utf-8")
    wanted = ([f'id="sop-{spec["sop"]}"'] + [f'id="checklist-{i}"' for i in spec["checklists"]]
              + [f'id="template-{i}"' for i in spec["templates"]]
              + [f'id="metric-{i}"' for i in spec["metrics"]])
    assert [marker for marker in wanted if marker not in html] == []


def test_risk_notice_does_not_pretend_to_waive_injury_liability():
    """Civil Code Art. 506 voids waivers of personal-injury liability: the notice says the
    organiser's duty stays, and never asks the member to bear all consequences."""
    body = PROJECT.get("templates", "event_risk_notice")["body"]
    for phrase in ("后果自负", "概不负责", "与组织者无关", "责任自负", "免除组织"):
        assert phrase not in body
    assert "不会因为这份确认而免除" in body
    assert "第五百零六条" in PROJECT.get("facts", "civil_code_injury_waiver_void")["statement"]


def test_anti_scam_notice_names_the_only_payment_channel():
    """The pinned notice says staff never ask for money in private and names one channel."""
    template = PROJECT.get("templates", "anti_scam_notice")
    assert "不会私聊让你转账" in template["body"]
    assert "{{ 官方收费渠道 }}" in template["body"]


BOT_TEXT_KINDS = ("sops", "checklists", "roles", "templates")


def test_bots_are_only_ever_official_ones():
    """Wherever the operational data mentions a bot, the same clause says it is official or
    rules it out: a personal WeChat group has no official bot (review §2 #24)."""
    offending = []
    for kind in BOT_TEXT_KINDS:
        for path in sorted((ROOT / f"data/{kind}").glob("*.yml")):
            for clause in re.split(r"[；。\n]", path.read_text("utf-8")):
                if "机器人" in clause and not re.search(r"官方|不|没", clause):
                    offending.append(f"{path.name}: {clause.strip()}")
    assert offending == []
    table = section("risk-compliance", "自动化与机器人")
    personal_row = next(line for line in table.splitlines() if line.startswith("| 个人微信号"))
    assert "没有官方机器人" in personal_row


def test_reply_library_answers_twenty_questions(site):
    """The library page holds questions 1–20, each with a reply and whom to hand it to, and the
    templates library links to it."""
    text = (ROOT / "docs/library/replies.md").read_text("utf-8")
    entries = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    numbers = [int(entry.split(".", 1)[0]) for entry in entries]
    assert numbers == list(range(1, 21))
    for entry in entries:
        assert "\n> " in entry and "转交：" in entry, entry.splitlines()[0]
    templates_page = (site / "library/templates/index.html").read_text("utf-8")
    assert 'href="../replies/"' in templates_page
    assert (site / "library/replies/index.html").is_file()


GAPS = {
    "positioning": ["资源对接型", "情感慰藉型", "**归属感要写进目标。**"],
    "structure": ["**核心成员怎么挑。**", "**门槛也让人珍惜。**"],
    "acquisition": ["**付费投放也是公域渠道，但要先算账。**", '[[ metrics(["acquisition_cost"]) ]]'],
}


@pytest.mark.parametrize("chapter, phrases", GAPS.items())
def test_review_gaps_are_filled(chapter, phrases):
    """The review's §1 gaps (belonging, core-team selection, entry-threshold value, the two value
    types, paid ads) each have their paragraph."""
    text = (ROOT / f"playbooks/{chapter}.md").read_text("utf-8")
    assert [phrase for phrase in phrases if phrase not in text] == []


def test_onboarding_goes_past_the_first_week():
    """Onboarding has a weeks 2–4 path with its own checklist (review §3.1)."""
    text = (ROOT / "docs/onboarding.md").read_text("utf-8")
    assert "## 第 2～4 周" in text
    assert '[[ checklist("new_operator_month_one") ]]' in text
    groups = [group["id"] for group in PROJECT.get("checklists", "new_operator_month_one")["groups"]]
    assert groups == ["week2", "week3", "week4"]
