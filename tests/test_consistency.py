"""Each number is stated once: one test per contradiction of the content review (§4.1, with the
§4.2 and §4.3 ones that were fixed), failing if two places disagree again.

Prose calls a fact, an example-community number or a metric target through a macro. Data text
(SOP steps, checklist items, template bodies and examples) calls the same macros, which the loader
replaces with plain text, so the tests below read the loaded (expanded) data and also check that
the data file itself calls the macro rather than holding a copy."""

import re

import pytest

from conftest import ROOT
from macros import pages
from macros.kinds.facts import shown_text
from macros.loader import load

PROJECT = load(ROOT)
FACTS = PROJECT.items("facts")
COMMUNITIES = PROJECT.items("communities")


def source(path: str) -> str:
    """A Markdown page of the project as written (playbooks/…, docs/…, CONTRIBUTING.md)."""
    return (ROOT / path).read_text("utf-8")


def all_sources() -> dict:
    """Every Markdown page of the site and every data file, by project-relative path."""
    paths = sorted((ROOT / "playbooks").rglob("*.md")) + sorted((ROOT / "docs").rglob("*.md"))
    paths += sorted((ROOT / "data").rglob("*.yml"))
    return {str(p.relative_to(ROOT)): p.read_text("utf-8") for p in paths
            if "docs/playbooks" not in str(p)}


def texts(value) -> str:
    """Every string inside a data item, joined, so a test can look for a phrase anywhere in it."""
    if isinstance(value, dict):
        return "\n".join(texts(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(texts(v) for v in value)
    return str(value)


def item(kind: str, ident: str) -> dict:
    """One data item by kind and id."""
    return PROJECT.items(kind)[ident]


def step(sop_id: str, step_id: str) -> dict:
    """One SOP step by SOP id and step id."""
    return next(s for s in item("sops", sop_id)["steps"] if s["id"] == step_id)


def entry(checklist_id: str, item_id: str) -> dict:
    """One checklist item by checklist id and item id."""
    return next(i for group in item("checklists", checklist_id)["groups"]
                for i in group["items"] if i["id"] == item_id)


def variable(template_id: str, name: str) -> dict:
    """One declared variable of a message template."""
    return next(v for v in item("templates", template_id)["variables"] if v["name"] == name)


def fact_value(ident: str):
    """A fact's value."""
    return FACTS[ident]["value"]


def number(community: str, key: str):
    """An example community's number."""
    return COMMUNITIES[community]["numbers"][key]["value"]


def shown(fact_id: str) -> str:
    """What prose shows a reader for a fact: its value with its unit."""
    return shown_text(FACTS[fact_id], "value")


def calls(path: str, macro: str, *args) -> bool:
    """Whether a page calls a macro with exactly these arguments."""
    quoted = ", ".join(f'"{a}"' for a in args)
    return f"[[ {macro}({quoted}) ]]" in source(path)


def data_calls(kind: str, ident: str, macro: str, *args) -> bool:
    """Whether a data file, as written, calls a macro with exactly these arguments."""
    quoted = ", ".join(f'"{a}"' for a in args)
    return f"[[ {macro}({quoted}) ]]" in (ROOT / "data" / kind / f"{ident}.yml").read_text("utf-8")


def no_source_says(pattern: str) -> list:
    """The files (pages and data) in which a regular expression still matches."""
    return [path for path, text in all_sources().items() if re.search(pattern, text)]


def test_the_data_loads_without_problems():
    """Facts, communities and everything they are compared with load cleanly."""
    assert PROJECT.problems == []


DATA_CALLS = [  # (kind, id, macro, arguments): data text that states a number through the data
    ("checklists", "paid_product_launch", "community", ("writing_camp", "refund_rule")),
    ("templates", "paid_offer_dm", "community", ("writing_camp", "refund_rule")),
    ("templates", "renewal_reminder_dm", "community", ("shanye_coffee", "annual_card_coupons")),
    ("checklists", "event_launch", "community", ("weekend_hiking", "participants_per_leader")),
    ("checklists", "positioning_canvas", "community", ("writing_camp", "students_per_tutor")),
    ("checklists", "positioning_canvas", "community", ("shanye_coffee", "groups_per_specialist")),
    ("checklists", "positioning_canvas", "fact", ("house_merge_trigger",)),
    ("checklists", "positioning_canvas", "fact", ("house_group_change_notice_days",)),
    ("templates", "koc_invitation", "fact", ("house_koc_observe_weeks",)),
    ("sops", "koc_cultivation", "fact", ("house_koc_observe_weeks",)),
    ("roles", "admin", "fact", ("house_incident_report_minutes",)),
    ("roles", "support", "fact", ("house_incident_report_minutes",)),
    ("roles", "support", "fact", ("house_complaint_progress_hours",)),
    ("roles", "support", "fact", ("house_first_response_minutes",)),
    ("sops", "crisis_response", "fact", ("house_incident_report_minutes",)),
    ("sops", "crisis_response", "fact", ("house_crisis_reply_level1",)),
    ("sops", "crisis_response", "fact", ("house_crisis_reply_level2",)),
    ("sops", "crisis_response", "fact", ("house_crisis_reply_level3",)),
    ("checklists", "crisis_first_hour", "fact", ("house_crisis_reply_level1",)),
    ("checklists", "group_setup", "fact", ("house_admins_per_group",)),
    ("sops", "group_tiering", "fact", ("house_core_group_size",)),
    ("sops", "group_tiering", "fact", ("house_merge_trigger",)),
    ("sops", "group_tiering", "fact", ("house_group_change_notice_days",)),
    ("sops", "referral_campaign", "fact", ("house_referral_reward_delay_days",)),
    ("checklists", "referral_compliance", "fact", ("house_referral_reward_delay_days",)),
    ("sops", "renewal_reminder", "fact", ("house_renewal_notice_days",)),
    ("checklists", "daily_ops", "fact", ("house_first_response_minutes",)),
    ("sops", "daily_group_ops", "fact", ("house_first_response_minutes",)),
    ("sops", "paid_conversion_followup", "fact", ("house_first_response_minutes",)),
    ("sops", "violation_handling", "fact", ("house_first_response_minutes",)),
    ("sops", "violation_handling", "fact", ("house_complaint_progress_hours",)),
    ("sops", "new_member_welcome", "fact", ("house_scale_new_members_daily",)),
    ("checklists", "new_member_onboarding", "fact", ("house_scale_new_members_daily",)),
    ("templates", "group_announcement", "fact", ("house_violation_ladder",)),
]


@pytest.mark.parametrize("kind, ident, macro, args", DATA_CALLS)
def test_data_text_calls_the_data_instead_of_copying_it(kind, ident, macro, args):
    """SOPs, checklists, roles and templates take shared numbers from the one place they live;
    the loader turns each call into plain text, so what readers copy into WeChat stays plain."""
    assert data_calls(kind, ident, macro, *args)
    assert "[[" not in texts(item(kind, ident))


# @所有人 ----------------------------------------------------------------------------------------

AT_ALL_PAGES = ["playbooks/activation-retention.md", "playbooks/risk-compliance.md"]


def test_at_all_cap_is_one_fact_called_by_every_page_that_states_it():
    """Both chapters that cap @所有人 call the one fact; no page or data file states a cap itself."""
    assert all(calls(page, "fact", "house_at_all_cap") for page in AT_ALL_PAGES)
    assert no_source_says(r"(@ ?全体|@所有人[”」]?)[^。\n]{0,12}\d+ 次") == []


@pytest.mark.parametrize("page", AT_ALL_PAGES)
def test_at_all_cap_is_rendered_from_the_fact_on_the_built_site(site, page):
    """On the real strict build, every place a page states the cap shows the fact's value linked
    to its 速查 entry, as many times as the page calls it."""
    html = (site / page.removesuffix(".md") / "index.html").read_text("utf-8")
    rendered = re.findall(re.escape(shown("house_at_all_cap")) + r'<a class="hb-fact__ref" '
                          r'href="[^"]*library/facts/#house_at_all_cap"', html)
    assert len(rendered) == source(page).count('[[ fact("house_at_all_cap") ]]') >= 1


# Daily message caps and the content-to-marketing ratio -----------------------------------------

CAP_PAGES = ["playbooks/positioning.md", "playbooks/activation-retention.md",
             "playbooks/monetization.md", "playbooks/data-review/examples.md"]


def test_official_and_marketing_message_caps_are_one_fact():
    """Every chapter that caps daily messages calls the one fact; none states 2 条 on its own."""
    assert all(calls(page, "fact", "house_official_msgs_daily_cap") for page in CAP_PAGES)
    assert no_source_says(r"(官方|营销)消息[^。\n|]{0,6}不超过 \d+ 条") == []


def test_marketing_share_follows_from_the_cap_and_the_ratio():
    """With N official posts a day and a content-to-marketing ratio a:b, a week holds about
    7N·b/(a+b) marketing posts: the figure monetization states."""
    cap = fact_value("house_official_msgs_daily_cap")
    content, marketing = (int(x) for x in fact_value("house_content_marketing_ratio").split(":"))
    weekly = round(cap * 7 * marketing / (content + marketing))
    text = source("playbooks/monetization.md")
    assert f"一周 {cap * 7} 条里营销只占 {weekly} 条左右" in text
    assert f"一周大约 {weekly} 条" in text
    assert calls("playbooks/monetization.md", "fact", "house_content_marketing_ratio")


# Churn -----------------------------------------------------------------------------------------

def test_churn_target_is_one_number_everywhere():
    """山野's monthly churn ceiling, the one the chapters plan and review against, is one community
    number called by every page that states it; the generic band lives only in the metric
    dictionary, and no page states a churn ceiling of its own (the camp's guardrail for the days
    before graduation is a different figure)."""
    for page in ("playbooks/positioning.md", "playbooks/acquisition.md",
                 "playbooks/data-review.md", "playbooks/data-review/examples.md"):
        assert calls(page, "community", "shanye_coffee", "monthly_churn_target"), page
    stated = [path for path in no_source_says(r"(?<!结营前)退群率 ?(≤|不高于) ?\d")
              if path.endswith(".md")]
    assert stated == []


# Traffic lights --------------------------------------------------------------------------------

def light(actual: float, target: float, higher_is_better: bool, gap: float) -> str:
    """The colour the data-review rule gives: green when met, yellow within `gap` relative, else red."""
    met = actual >= target if higher_is_better else actual <= target
    if met:
        return "绿"
    return "黄" if abs(actual - target) / target <= gap else "红"


LABELLED = [  # (result phrase, goal phrase or community number, higher is better)
    (r"第 2 周 ([\d.]+)%（(.)）", r"第 2 周打卡率 ≥ ([\d.]+)%", True),
    (r"完课率 ([\d.]+)%（(.)）", ("writing_camp", "completion_target"), True),
    (r"核销率约 ([\d.]+)%（(.)）", r"群专属券核销率 ≥ ([\d.]+)%", True),
    (r"周活跃率平均 ([\d.]+)%（(.)）", r"核心会员群周活跃率 ≥ ([\d.]+)%", True),
]


def test_shanye_churn_label_follows_the_rule_and_the_community_target():
    """山野's October churn gets the colour the rule gives against the community's ceiling."""
    text = source("playbooks/data-review/examples.md")
    actual, colour = re.search(r"退群率约 ([\d.]+)%（(.)）", text).groups()
    target = float(number("shanye_coffee", "monthly_churn_target").rstrip("%"))
    gap = float(fact_value("house_traffic_light_gap").rstrip("%")) / 100
    assert colour == light(float(actual), target, False, gap)


@pytest.mark.parametrize("result, goal, higher", LABELLED)
def test_worked_examples_follow_the_traffic_light_rule(result, goal, higher):
    """Each colour in the worked reviews is the one the stated rule gives for its stated goal."""
    text = source("playbooks/data-review/examples.md")
    actual, colour = re.search(result, text).groups()
    if isinstance(goal, tuple):
        assert calls("playbooks/data-review/examples.md", "community", *goal)
        target = number(*goal).rstrip("%")
    else:
        target = re.search(goal, text).group(1)
    gap = float(fact_value("house_traffic_light_gap").rstrip("%")) / 100
    assert colour == light(float(actual), float(target), higher, gap)


def test_the_rule_examples_follow_the_rule():
    """The rule's own examples, for both directions, get the colours the rule gives."""
    text = source("playbooks/data-review.md")
    gap = float(fact_value("house_traffic_light_gap").rstrip("%")) / 100
    up = re.search(r"目标 ([\d.]+)%，实际 ([\d.]+)% 差 [\d.]+%，是(.)；实际 ([\d.]+)%", text)
    target, first, colour, _ = up.groups()
    assert colour == light(float(first), float(target), True, gap)
    down = re.search(r"目标不高于 ([\d.]+)%，实际 ([\d.]+)% 差 [\d.]+%，是(.)；"
                     r"实际 ([\d.]+)% 差 [\d.]+%，是(.)", text)
    target, first, colour1, second, colour2 = down.groups()
    assert colour1 == light(float(first), float(target), False, gap)
    assert colour2 == light(float(second), float(target), False, gap)


# Writing camp: review time and refund rule ------------------------------------------------------

def test_writing_camp_review_time_is_one_community_number():
    """Every page that promises a review time calls the community number; none says 2 or 24 h."""
    for page in ("playbooks/monetization.md", "playbooks/activation-retention.md",
                 "playbooks/data-review.md", "playbooks/data-review/examples.md"):
        assert calls(page, "community", "writing_camp", "review_sla"), page
    assert no_source_says(r"点评[^。\n]{0,8}\d+ 小时内") == []


def test_refund_rule_is_identical_in_chapter_checklist_and_dm_template():
    """The chapter calls the community's refund rule; the checklist hint and the DM example copy
    it word for word."""
    rule = number("writing_camp", "refund_rule")
    assert calls("playbooks/monetization.md", "community", "writing_camp", "refund_rule")
    assert rule in entry("paid_product_launch", "refund_rule")["hint"]
    assert rule in variable("paid_offer_dm", "退款说明")["example"]


# 山野咖啡 ---------------------------------------------------------------------------------------

def test_annual_card_coupons_agree_in_chapter_and_renewal_template():
    """The chapter calls the coupon count; the renewal DM example states the same count."""
    count = number("shanye_coffee", "annual_card_coupons")
    assert calls("playbooks/monetization.md", "community", "shanye_coffee", "annual_card_coupons")
    assert f"每月 {count} 张买一送一券" in variable("renewal_reminder_dm", "续费权益")["example"]


def test_annual_card_saving_and_cost_follow_from_the_community_numbers():
    """The monthly saving uses the retail price; the brand's yearly cost uses cost of goods."""
    text = source("playbooks/monetization.md")
    coupons = number("shanye_coffee", "annual_card_coupons")
    assert f"每月约省 {coupons * number('shanye_coffee', 'cup_price')} 元" in text
    usage = int(re.search(r"实际使用率约 (\d+)%", text).group(1)) / 100
    cost = round(coupons * 12 * usage * number("shanye_coffee", "cup_cost"))
    assert f"让利成本约 {cost} 元" in text


def test_weekly_report_example_matches_shanye_size():
    """The weekly-report example's member count is within 10% of the community's size."""
    members = number("shanye_coffee", "members") * 10000
    example = int(variable("weekly_report", "成员总数")["example"])
    assert abs(example - members) / members <= 0.1


def test_core_group_is_not_an_annual_card_benefit():
    """The core group is entered by invitation on behaviour, as the upgrade template says; no
    chapter or SOP offers it with the annual card."""
    assert "充值就能进" in texts(item("templates", "tier_upgrade_invite"))
    assert no_source_says(r"或开通年卡|以及进入核心会员群") == []


def test_core_group_size_is_one_fact():
    """The tier table calls the fact; the tiering SOP states the same range."""
    assert calls("playbooks/structure.md", "fact", "house_core_group_size")
    assert f"控制在 {shown('house_core_group_size')}" in step("group_tiering", "review_list")["action"]
    assert no_source_says(r"100 到 200 人") == []


def test_shanye_entry_is_open_scan_to_join():
    """The canvas hint describes 山野's store groups as open, as the structure chapter does."""
    hint = entry("positioning_canvas", "entry_bar")["hint"]
    assert "扫码即入" in hint and "要求是会员" not in hint


# Staffing ---------------------------------------------------------------------------------------

def test_admins_per_group_is_one_fact():
    """Chapters call the fact; the setup checklist states the same number."""
    admins = fact_value("house_admins_per_group")
    for page in ("playbooks/structure.md", "playbooks/risk-compliance.md"):
        assert calls(page, "fact", "house_admins_per_group"), page
    assert f"设 {admins} 名管理员" in entry("group_setup", "admins")["text"]
    assert no_source_says(r"至少设 \d 个管理员|\d 到 \d 名管理员") == []


def test_staffing_ratios_come_from_the_communities():
    """The staffing table calls the community numbers; the canvas hint states the same ones."""
    tutor = number("writing_camp", "students_per_tutor")
    groups = number("shanye_coffee", "groups_per_specialist")
    assert calls("playbooks/structure.md", "community", "writing_camp", "students_per_tutor")
    assert calls("playbooks/structure.md", "community", "shanye_coffee", "groups_per_specialist")
    hint = entry("positioning_canvas", "staffing")["hint"]
    assert f"每 {tutor} 人配 1 名助教" in hint and f"每人负责 {groups} 个门店群" in hint
    assert no_source_says(r"300 到 500 人至少配|8～10 个群") == []


def test_shanye_store_groups_fit_the_wecom_customer_group_cap():
    """山野's store groups are WeCom customer groups with WeChat users in them: spread over its
    store groups, its members stay under that cap, and the pages take both numbers from the data."""
    cap = fact_value("wecom_customer_group_max_members")
    members = number("shanye_coffee", "members") * 10000
    groups = number("shanye_coffee", "store_groups")
    assert members / groups <= cap
    assert groups >= number("shanye_coffee", "stores")
    assert calls("playbooks/structure/matrix.md", "community", "shanye_coffee", "store_groups")
    assert calls("playbooks/structure.md", "fact", "wecom_customer_group_max_members")
    assert data_calls("comparisons", "carriers", "fact", "wecom_customer_group_max_members")
    assert no_source_says(r"40 个门店群|40 多个(?:门店)?群|每群 200～400 人|门店群 200～500 人") == []


def test_trial_groups_filled_by_qr_code_stay_under_the_join_cap():
    """Trial groups fill by QR code, which stops at the cap: each example has no more people per
    group than the cap, and each page that fills them calls the fact."""
    cap = fact_value("wechat_group_qr_join_cap")
    examples = [re.search(r"共约 (\d+) 个群、(\d+) 人左右", source("playbooks/acquisition.md")),
                re.search(r"(\d+) 个群共 (\d+) 人", source("playbooks/monetization.md"))]
    for found in examples:
        assert found and int(found[2]) / int(found[1]) <= cap
    for page in ("playbooks/acquisition.md", "playbooks/monetization.md", "playbooks/structure.md"):
        assert calls(page, "fact", "wechat_group_qr_join_cap"), page


def test_hike_leader_ratio_is_one_community_number():
    """Chapters call the leader ratio; the launch checklist states the same number."""
    ratio = number("weekend_hiking", "participants_per_leader")
    for page in ("playbooks/positioning.md", "playbooks/activation-retention.md"):
        assert calls(page, "community", "weekend_hiking", "participants_per_leader"), page
    assert f"每名领队最多带 {ratio} 人" in entry("event_launch", "safety_plan")["hint"]
    assert no_source_says(r"1 比 \d+|每 \d+ 人至少 1 名领队") == []


# Response times ---------------------------------------------------------------------------------

def test_incident_report_time_is_one_fact():
    """Chapters call the fact; role cards and the crisis SOP state the same minutes."""
    minutes = f"{fact_value('house_incident_report_minutes')} 分钟"
    for page in ("playbooks/structure.md", "playbooks/risk-compliance.md"):
        assert calls(page, "fact", "house_incident_report_minutes"), page
    assert f"{minutes}内向运营负责人报告" in texts(item("roles", "admin"))
    assert f"{minutes}内上报运营负责人" in texts(item("roles", "support"))
    assert step("crisis_response", "report")["timing"] == f"发现后 {minutes}内"


def test_complaint_progress_time_is_one_fact():
    """The chapter calls the fact; the support role and the complaint step state the same hours."""
    hours = f"{fact_value('house_complaint_progress_hours')} 小时"
    assert calls("playbooks/structure.md", "fact", "house_complaint_progress_hours")
    assert f"{hours}内给出处理进展" in texts(item("roles", "support"))
    assert f"{hours}内给进展" in step("violation_handling", "complaint")["timing"]
    assert no_source_says(r"投诉 \d+ 小时内给出处理方案") == []


def test_first_response_time_is_one_fact():
    """Chapters and onboarding call the fact; roles, SOP steps and the daily checklist state the
    same minutes, and no page states a first-response time of its own."""
    minutes = f"{fact_value('house_first_response_minutes')} 分钟内"
    for page in ("playbooks/structure.md", "playbooks/risk-compliance.md", "docs/onboarding.md"):
        assert calls(page, "fact", "house_first_response_minutes"), page
    copies = [texts(item("roles", "support")), step("daily_group_ops", "answer")["timing"],
              step("paid_conversion_followup", "answer")["timing"],
              step("violation_handling", "complaint")["timing"],
              entry("daily_ops", "response")["text"].replace("**", "")]
    assert all(minutes in copy for copy in copies)
    stated = [path for path in no_source_says(r"\d+ 分钟(内)?首次(响应|回复|有效回复)")
              if path.endswith(".md")]
    assert stated == []


def test_overnight_messages_follow_the_first_response_target():
    """Overnight messages are answered after the start of duty within the same target, not at a
    clock time of their own; the metric starts the clock at the next duty period, as the fact says."""
    assert no_source_says(r"次日 10:00 前回复|\*\*9:30 前\*\*回复") == []
    night = entry("daily_ops", "night_messages")["text"].replace("**", "")
    assert f"开工后 {fact_value('house_first_response_minutes')} 分钟内" in night
    assert calls("playbooks/structure.md", "fact", "house_service_hours")
    definition = item("metrics", "response_time")["definition"]
    assert "值班时段外的提问从下一个值班时段开始起算" in definition
    assert not re.search(r"\d{1,2}:\d{2} ?起算", definition)


def test_holding_replies_follow_the_metric():
    """The metric counts a reply that names a time as the first real answer and never a bare
    「稍等」; wherever the text suggests such a reply, it says the same."""
    definition = item("metrics", "response_time")["definition"]
    assert "给出明确答复时间的回复" in definition and "单独一句「稍等」不算" in definition
    holding = re.compile(r"收到，11 点前答复你|10 分钟内回复你")
    suggested = [(path, line) for path, text in all_sources().items() if "metrics/" not in path
                 for line in text.splitlines() if holding.search(line)]
    assert suggested
    for path, line in suggested:
        assert "算首次有效回复" in line and "不算首次有效回复" not in line, path


# Groups: merging, notice, activity --------------------------------------------------------------

def test_merge_rule_and_notice_are_one_fact_each():
    """The tiering SOP and the canvas state the merge trigger and notice of the facts; chapters
    call the notice fact."""
    trigger = fact_value("house_merge_trigger")
    notice = f"{fact_value('house_group_change_notice_days')} 天"
    assert trigger in item("sops", "group_tiering")["trigger"]
    assert trigger in step("group_tiering", "split_or_merge")["action"]
    assert trigger in entry("positioning_canvas", "exit_rule")["hint"]
    assert f"前 {notice}" in step("group_tiering", "split_or_merge")["action"]
    assert f"提前 {notice}公告" in entry("positioning_canvas", "exit_rule")["hint"]
    for page in ("playbooks/structure.md", "playbooks/activation-retention.md"):
        assert calls(page, "fact", "house_group_change_notice_days"), page
    assert no_source_says(r"提前 7 天公告|连续 2 周低于 15%|连续 3 个月活跃率低于") == []


def test_store_groups_never_trigger_a_workshop_on_activity():
    """The workshop trigger uses each group type's floor and exempts store groups, as the
    chapter's 'silence is healthy' stance requires."""
    trigger = item("sops", "positioning_workshop")["trigger"]
    assert "20%" not in trigger and "门店群" in trigger
    assert "活跃率连续 2 个月低于 20%" not in source("playbooks/positioning.md")


def test_example_goals_come_from_the_communities():
    """The camp's completion and re-enrolment goals and the hiking group's first-event goal are
    community numbers, called by every chapter that states them."""
    for page, key in (("playbooks/positioning.md", ("writing_camp", "completion_target")),
                      ("playbooks/activation-retention.md", ("writing_camp", "completion_target")),
                      ("playbooks/data-review.md", ("writing_camp", "completion_target")),
                      ("playbooks/data-review/examples.md", ("writing_camp", "completion_target")),
                      ("playbooks/positioning.md", ("writing_camp", "reenrol_target")),
                      ("playbooks/monetization.md", ("writing_camp", "reenrol_target")),
                      ("playbooks/positioning.md", ("weekend_hiking", "first_event_target")),
                      ("playbooks/data-review.md", ("weekend_hiking", "first_event_target")),
                      ("playbooks/data-review/examples.md", ("weekend_hiking", "first_event_target"))):
        assert calls(page, "community", *key), (page, key)
    assert no_source_says(r"完课率[^。\n]{0,14}(≥|不低于|低于) ?55%"
                          r"|首次参加率[^。\n]{0,20}(≥|不低于) ?25%") == []


def test_activation_targets_come_from_the_communities():
    """The structure chapter states each example's activation target through its community."""
    for community, key in (("writing_camp", "activation_target"),
                           ("shanye_coffee", "activation_target"),
                           ("weekend_hiking", "first_event_target")):
        assert calls("playbooks/structure.md", "community", community, key)


# Referral, sales and renewal --------------------------------------------------------------------

def test_inviter_rewards_wait_for_a_valid_action_everywhere():
    """Chapter, SOP and compliance checklist count invitees only after a valid action and pay
    after the fact's delay."""
    delay = f"{fact_value('house_referral_reward_delay_days')} 天"
    assert calls("playbooks/acquisition.md", "fact", "house_referral_reward_delay_days")
    for text in (step("referral_campaign", "plan")["action"],
                 entry("referral_compliance", "reward_on_result")["text"]):
        assert "首次打卡" in text and delay in text
    assert no_source_says(r"完成报名或入群[”」]?\**后发放|只和[“「]被邀请人完成报名或入群[”」]挂钩") == []


def test_sales_dms_go_only_to_people_who_showed_intent():
    """The follow-up SOP DMs only members who expressed intent, as the chapter says; streaks of
    check-ins alone do not qualify."""
    assert "只对表达过意向" in step("paid_conversion_followup", "private_offer")["action"]
    intent = step("paid_conversion_followup", "intent_list")["action"]
    assert "不单独私信" in intent.split("连续打卡")[1]


def test_renewal_policy_notice_has_a_step_at_the_facts_lead_time():
    """The renewal SOP announces the policy at the lead time the chapter states."""
    days = fact_value("house_renewal_notice_days")
    assert calls("playbooks/monetization.md", "fact", "house_renewal_notice_days")
    assert step("renewal_reminder", "policy_notice")["timing"] == f"到期前 {days} 天"
    assert f"到期前 {days} 天" in item("sops", "renewal_reminder")["trigger"]


def test_renewal_benchmarks_live_only_in_the_metric():
    """The chapter points to the renewal metric for its benchmarks and target instead of stating
    a second set of its own."""
    text = source("playbooks/monetization.md")
    assert calls("playbooks/monetization.md", "metric_target", "renewal_rate")
    assert "30%–50%" not in text and "15%–30%" not in text


def test_qr_codes_stand_where_people_wait():
    """The channel case puts the store QR code where the chapter says, not at the till."""
    assert "收银台" not in texts(item("comparisons", "channels"))
    assert "取餐台" in texts(item("comparisons", "channels"))


def test_referral_formula_uses_ease_of_acceptance():
    """The third factor is 易接受度 (a lower threshold helps) in chapter and glossary alike."""
    assert no_source_says(r"× \[?门槛") == []
    assert "易接受度" in source("playbooks/acquisition.md") and "易接受度" in source("docs/glossary.md")


# Members: silence, KOCs, workshop ---------------------------------------------------------------

def test_silent_member_categories_match_the_chapter():
    """The reactivation SOP sorts members into exactly the chapter's three categories."""
    chapter = source("playbooks/activation-retention.md").split("### 沉默成员唤醒")[1]
    table = re.findall(r"^\| (\S+) \| ", chapter.split("分三类")[1].split("\n\n")[1],
                       re.MULTILINE)
    rows = table[2:]  # after the header row and its --- separator
    assert len(rows) == 3
    sop = step("silent_member_reactivation", "list")["action"]
    assert all(name in sop for name in rows)
    assert "入群 7 天" in item("sops", "silent_member_reactivation")["trigger"]


def test_koc_observation_period_is_one_fact():
    """The chapter calls the fact; the SOP and the invitation template state the same period."""
    weeks = f"观察 {fact_value('house_koc_observe_weeks')} 周"
    assert calls("playbooks/activation-retention.md", "fact", "house_koc_observe_weeks")
    assert weeks in step("koc_cultivation", "observe")["action"]
    assert weeks in texts(item("templates", "koc_invitation")["dos"])


def test_workshop_attendance_adds_up():
    """The attendee range equals the named roles plus the seed-user range."""
    text = source("playbooks/positioning.md")
    low, high, roles, seed_low, seed_high = (int(n) for n in re.search(
        r"参会 (\d+)～(\d+) 人：[^。]*?(\d+) 人，加上 (\d+)～(\d+) 位种子用户", text).groups())
    assert (low, high) == (roles + seed_low, roles + seed_high)


def test_stickiness_reads_as_a_percentage_and_needs_daily_counts():
    """The glossary speaks of stickiness in its metric's unit; sampled groups skip it."""
    assert item("metrics", "stickiness")["unit"] == "%"
    glossary = source("docs/glossary.md").split("## DAU 与 MAU")[1].split("\n## ")[0]
    assert "接近 1，" not in glossary and "100%" in glossary
    assert "抽样的群不算粘性" in source("playbooks/data-review.md")


# Roles and RACI (§4.2) --------------------------------------------------------------------------

SOPS = PROJECT.items("sops")
STEPS = [(ident, s) for ident, sop in SOPS.items() for s in sop["steps"]]


def test_no_role_is_accountable_for_more_than_half_of_all_steps():
    """RACI is not degenerate: each A is the role that owns that step's outcome."""
    for role in PROJECT.items("roles"):
        assert sum(s["raci"]["A"] == role for _, s in STEPS) * 2 <= len(STEPS), role


@pytest.mark.parametrize("sop_id", sorted(SOPS))
def test_each_sop_owner_is_responsible_or_accountable_somewhere(sop_id):
    """The owner of an SOP does or answers for at least one of its steps."""
    sop = SOPS[sop_id]
    assert any(sop["owner"] in s["raci"]["R"] or s["raci"]["A"] == sop["owner"]
               for s in sop["steps"])


def test_a_volunteer_is_never_the_only_one_responsible():
    """Every step a KOC does also names a staff member who does it when the KOC cannot."""
    assert [(ident, s["id"]) for ident, s in STEPS if s["raci"]["R"] == ["member_koc"]] == []


def test_group_owner_account_and_removals_have_one_holder():
    """The owner account is a company account held by the admin, and the admin decides
    removals: in roles, SOPs, checklists and chapters alike."""
    assert "群主号" in texts(item("roles", "admin")) and "群主权限" not in texts(item("roles", "ops_lead"))
    assert "由管理员持有" in entry("group_setup", "owner_account")["text"]
    assert step("violation_handling", "remove")["raci"]["A"] == "admin"
    assert "移出成员由管理员决定" in texts(item("roles", "ops_specialist"))
    assert "决定移出" in source("playbooks/structure.md")


# One violation ladder (§4.3) --------------------------------------------------------------------

def test_one_violation_ladder_everywhere():
    """Chapters call the ladder fact; the SOP, the rules template and the warning template follow
    its three steps, and a first ad is level 2 (a warning in the group) everywhere."""
    steps = [s.strip() for s in fact_value("house_violation_ladder").split("→")]
    assert len(steps) == 3
    for page in ("playbooks/positioning.md", "playbooks/risk-compliance.md"):
        assert calls(page, "fact", "house_violation_ladder"), page
    rules = item("templates", "group_rules")["body"]
    assert [rules.index(word) for word in ("私聊提醒", "群内", "移出")] == sorted(
        rules.index(word) for word in ("私聊提醒", "群内", "移出"))
    classify = step("violation_handling", "classify")["action"]
    assert "2 级警告（30 天内再犯，或第一次发广告" in classify
    risk = source("playbooks/risk-compliance.md")
    assert "| 2 级 警告 | 30 天内再次违规，或第一次就发广告" in risk
    assert len(re.findall(r"^\| \d 级 ", risk, re.MULTILINE)) == 3


# Crisis (§4.3) ----------------------------------------------------------------------------------

def test_crisis_sop_grades_first_and_its_steps_are_in_time_order():
    """The SOP has a grading step right after the report, the holding reply comes before the
    first-hour checklist, and the reply times are the three level facts."""
    order = [s["id"] for s in item("sops", "crisis_response")["steps"]]
    assert order[:4] == ["report", "grade", "holding", "first_hour"]
    holding = step("crisis_response", "holding")["action"]
    for level in ("house_crisis_reply_level1", "house_crisis_reply_level2",
                  "house_crisis_reply_level3"):
        assert shown(level).replace(" ", "") in holding.replace(" ", ""), level
        assert calls("playbooks/risk-compliance.md", "fact", level)


def test_crisis_first_hour_checklist_grades_and_agrees_one_line_in_one_item():
    """The checklist has a grading item first and keeps 统一口径 in one item."""
    first = item("checklists", "crisis_first_hour")["groups"][0]["items"][0]
    assert first["id"] == "grade"
    lines = [i for g in item("checklists", "crisis_first_hour")["groups"] for i in g["items"]
             if "口径" in i["text"]]
    assert len(lines) == 1


# SOPs against their checklists (§4.3) -----------------------------------------------------------

def test_daily_sop_and_checklist_agree():
    """Checklist owners of the morning checks are R in the SOP's morning step; the evening wrap
    is conditional in both; the duty log uses its template, not the first-week checklist."""
    morning = step("daily_group_ops", "morning_check")["raci"]["R"]
    for item_id in ("spam_check", "content_scheduled", "night_messages"):
        assert entry("daily_ops", item_id)["owner"] in morning
    assert entry("daily_ops", "evening_wrap")["required"] is False
    assert "可以不发" in step("daily_group_ops", "evening_wrap")["action"]
    duty = step("daily_group_ops", "duty_log")
    assert duty.get("templates") == ["duty_log"] and "checklists" not in duty


def test_welcome_sop_and_checklist_agree_and_work_without_scrm():
    """The rules step has a checklist item; tagging allows a plain member register; the 1-to-1
    chat has a large-group variant."""
    assert "付费群另私聊发一份群规要点" in entry("new_member_onboarding", "rules_shown")["text"]
    assert "成员登记表" in entry("new_member_onboarding", "tags")["text"]
    assert "成员登记表" in step("new_member_welcome", "private_chat")["action"]
    scale = step("new_member_welcome", "private_chat")["at_scale"]
    assert f"超过 {fact_value('house_scale_new_members_daily')} 人" in scale


def test_workshop_timing_and_tiering_tiers_match_the_chapters():
    """The canvas runs in the first hour of the workshop; the tiering list names the chapter's
    four tiers."""
    assert step("positioning_workshop", "canvas")["timing"] == "共创会第 1 到 60 分钟"
    tiers = texts(item("sops", "group_tiering")["outputs"])
    assert all(t in tiers for t in ("引流或体验群", "付费或主力群", "话题群", "核心群"))


# Assets the chapters promise (issue item 6) -----------------------------------------------------

ASSETS = {"group_announcement": "playbooks/structure.md",
          "entry_questionnaire": "playbooks/structure.md",
          "positioning_card": "playbooks/positioning.md",
          "koc_pact": "playbooks/activation-retention.md",
          "data_collection_sheet": "playbooks/data-review.md",
          "duty_log": "playbooks/activation-retention.md"}


@pytest.mark.parametrize("template_id, page", ASSETS.items())
def test_promised_assets_exist_and_their_chapter_embeds_them(template_id, page):
    """Each asset the chapters refer to is a template, shown on the chapter that refers to it."""
    assert template_id in PROJECT.items("templates")
    assert calls(page, "template", template_id)


def test_announcement_length_is_one_fact():
    """The chapter calls the announcement cap; the template's max_length is that number."""
    assert calls("playbooks/structure.md", "fact", "house_group_announcement_chars")
    assert item("templates", "group_announcement")["max_length"] == fact_value(
        "house_group_announcement_chars")


# House style ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "playbooks").rglob("*.md")))
def test_chapters_quote_with_corner_quotes_and_range_with_a_wave_dash(path):
    """Chapter prose (front matter aside) uses 「」 for quotes and ～ for ranges, in every chapter."""
    assert re.findall(r"[“”–]", pages.body(source(path))) == []


def reader_facing_files() -> list[str]:
    """Data items, site pages (the chapters aside: see above) and the partials readers see."""
    found = [p for p in (ROOT / "data").rglob("*.yml") if "schemas" not in p.parts]
    found += [p for p in (ROOT / "docs").rglob("*.md") if "playbooks" not in p.parts]
    found += list((ROOT / "macros/partials").glob("*.html")) + list((ROOT / "docs/assets").rglob("*.js"))
    return sorted(str(p.relative_to(ROOT)) for p in found)


def test_data_pages_and_components_quote_and_range_the_same_way():
    """The house style of the chapters holds for data, pages, partials and scripts too."""
    offenders = [f"{path}:{n}" for path in reader_facing_files()
                 for n, line in enumerate(source(path).split("\n"), 1) if re.search(r"[“”–]", line)]
    assert offenders == []
