"""The platform rules and laws of the content review's §2: each is a fact with a source (or a
basis), the claims the review corrected stay corrected on the built site, and the numbers the
platforms set are rendered from their facts on every page that states them."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from macros.loader import load

PROJECT = load(ROOT)
FACTS = PROJECT.items("facts")
FACTS_PAGE = "library/facts/index.html"

# The review's §2 items (content-2026-11-24.md) and the facts that now carry each of them.
REVIEW_ITEMS = {
    1: ["wechat_invite_confirm_threshold", "wechat_realname_threshold", "wechat_group_max_members",
        "wechat_group_qr_valid_days", "wechat_group_qr_join_cap"],
    2: ["wechat_group_admin_cap", "wecom_customer_group_admin_cap"],
    3: ["wechat_group_qr_join_cap"],
    4: ["wecom_customer_join_by_tap"],
    5: ["wecom_mass_send_monthly_cap", "wecom_member_send_daily_cap"],
    6: ["wecom_api_license", "wecom_verification_fee"],
    7: ["qq_group_size", "qq_group_admin_cap", "qq_official_bot"],
    8: ["xhs_no_offplatform_steering"],
    9: ["pipl_breach_notification"],
    10: ["pipl_third_party_consent", "pipl_sensitive_consent"],
    11: ["pipl_automated_marketing_opt_out", "pipl_entrusted_processing", "wecom_chat_archive_consent"],
    12: ["group_manager_responsibility"],
    13: ["internet_ad_label_with_link"],
    14: ["promo_reference_price_7_days"],
    15: ["ad_law_education_ads"],
    16: ["prize_draw_disclosure", "prize_draw_top_prize_cap"],
    17: ["wechat_induced_sharing_ban"],
    18: ["portrait_consent"],
    19: ["organizer_duty_of_care"],
    20: ["wechat_no_exit_notice", "qq_exit_notice"],
    21: ["wechat_pasted_mention_plain", "wechat_moments_paste_fold"],
    22: ["house_new_account_warmup", "house_daily_friend_adds"],
    23: ["wecom_group_stats_retention"],
    24: ["wechat_plugin_ban", "wecom_official_group_tools", "qq_official_bot"],
}

# 官方 means the platform's own help or developer pages, or the legal text on a government site
# (the cloud providers' own help centres for the publishing facts).
OFFICIAL_HOSTS = ("weixin.qq.com", "npc.gov.cn", "cac.gov.cn", "samr.gov.cn", "gov.cn", "help.aliyun.com",
                  "cloud.tencent.com")

# Wording the review found wrong; each was rewritten and must not come back on any page.
CORRECTED = {
    "自动邀请进": "WeCom never puts a customer into a group by itself",
    "账号免费": "WeCom is not free: verification fees and paid API licences",
    "主页简介引导私信": "Xiaohongshu bans steering off-platform from the profile",
    "例如主页简介、私信自动回复": "profile bios and auto-reply DMs are not allowed routes",
    "评论区引导私信": "Xiaohongshu bans steering off-platform from comments",
    "每群约 500 人": "trial groups that fill by QR code stop at 200",
    "至少设 2 个管理员": "admins are capped, so the advice names the cap",
    "KOC 可授予有限管理权": "KOCs cannot all hold one of a WeChat group's few admin seats",
    "以企业微信后台当前规则为准": "the send caps are stated, with a source and a date",
    "目前约半年": "WeCom keeps 180 days of group statistics",
    "不想出镜的请告诉摄影师": "portraits need opt-in consent, not opt-out",
    "明确标注“合作”或“广告”": "with a purchase link, only “广告” will do",
    "只标真实的历史价格": "the reference price has a legal definition",
    "只提交给保险公司": "sharing with an insurer names the recipient and needs separate consent",
    "不能以「分享」这个动作本身为条件": "not sharing-gated is lower risk, not safe",
    "但不能以分享这个动作为条件": "not sharing-gated is lower risk, not safe",
    "让成员的成果替你说话": "training ads may not use beneficiaries as endorsements",
    "第一次把一篇 3000 字的长文写完了": "the poster example must not be an outcome testimonial",
    "配置和维护机器人": "a personal WeChat group has no official bot",
}

# How a page or a data file would state each platform number in its own words. None may remain once
# the fact() calls (in data) and spans (on pages) are taken out, so the number comes from its fact.
NUMBERS = {
    "wechat_group_admin_cap": r"3\s*[名个]\s*(?:群)?管理员",
    "wecom_customer_group_admin_cap": r"3\s*[名个]\s*(?:群)?管理员",
    "wechat_invite_confirm_threshold": r"(?:超过|过了|满)\s*40\s*人",
    "wechat_realname_threshold": r"(?:超过|过了|满)\s*100\s*人",
    "wechat_group_qr_join_cap": r"(?:超过|过了|满)\s*200\s*人",
    "wechat_group_qr_valid_days": r"二维码\s*7\s*天|7\s*天内?有效",
    "wechat_group_max_members": r"500\s*人的?上限|上限(?:为|是)?\s*500",
    "wecom_customer_group_max_members": r"(?:客户群|门店群)[^。\n|]{0,20}(?:最多|上限)\s*\d+\s*人",
    "prize_draw_top_prize_cap": r"(?:5|五)\s*万元",
    "promo_reference_price_7_days": r"前\s*7\s*天内",
}


# Components render data text, whose fact() calls the loader has already replaced by plain text;
# that text is checked in the data files themselves (test_data_text_calls_facts_for_numbers).
COMPONENT_IDS = ("sop-", "checklist-", "template-", "comparison-", "metric-", "role-")
DATA_CALL = re.compile(r"\[\[.*?\]\]")
# Pages written as Markdown prose; the other pages only render data (roles, library, changelog).
PROSE_PAGES = ("playbooks/", "index.html", "glossary/", "onboarding/")


class FactTextSplitter(HTMLParser):
    """Splits a page's prose into the fact() spans (by fact id) and everything else, leaving out
    code, scripts and the data components."""

    def __init__(self):
        super().__init__()
        self.outside, self.rendered = [], {}
        self.depth = self.skip = 0
        self.inside, self.ident = [], None
        self.component, self.component_depth = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.component:
            self.component_depth += tag == self.component
            return
        if (attrs.get("id") or "").startswith(COMPONENT_IDS):
            self.component, self.component_depth = tag, 1
            return
        if tag in ("script", "style", "code", "pre"):
            self.skip += 1
        if tag == "span" and self.depth:
            self.depth += 1
        elif tag == "span" and "hb-fact" in (attrs.get("class") or "").split():
            self.depth, self.inside, self.ident = 1, [], None
        if self.depth and tag == "a" and "#" in (attrs.get("href") or ""):
            self.ident = attrs["href"].rsplit("#", 1)[1]

    def handle_endtag(self, tag):
        if self.component:
            self.component_depth -= tag == self.component
            self.component = self.component if self.component_depth else None
            return
        if tag in ("script", "style", "code", "pre"):
            self.skip = max(0, self.skip - 1)
        if tag == "span" and self.depth:
            self.depth -= 1
            if not self.depth:
                self.rendered.setdefault(self.ident, []).append("".join(self.inside))

    def handle_data(self, data):
        if self.component:
            return
        if self.depth:
            self.inside.append(data)
        elif not self.skip:
            self.outside.append(data)


def split_page(path):
    """The text a page shows outside fact() spans, and the text of each fact it renders."""
    splitter = FactTextSplitter()
    splitter.feed(path.read_text("utf-8"))
    return re.sub(r"\s+", " ", "".join(splitter.outside)), splitter.rendered


@pytest.fixture(scope="module")
def pages(site):
    """Every built page except the 速查 page (which lists the facts themselves and the rebuttals)."""
    return {str(path.relative_to(site)): split_page(path) for path in sorted(site.rglob("*.html"))
            if str(path.relative_to(site)) != FACTS_PAGE}


@pytest.mark.parametrize("item", sorted(REVIEW_ITEMS))
def test_each_review_item_is_carried_by_facts(item):
    """Every §2 item of the review has its facts in data/facts/."""
    missing = [ident for ident in REVIEW_ITEMS[item] if ident not in FACTS]
    assert missing == [], f"§2 item {item} has no fact {missing}"


def test_sourced_facts_name_a_source_and_official_ones_an_official_host():
    """官方 and 第三方 facts give a URL, title and publisher; 官方 ones point at an official host."""
    for ident, fact in FACTS.items():
        if fact["confidence"] == "经验值":
            continue
        source = fact.get("source") or {}
        assert source.get("url", "").startswith(("https://", "http://")), ident
        assert source.get("title") and source.get("publisher"), ident
        if fact["confidence"] == "官方":
            host = urlsplit(source["url"]).hostname.split(":")[0]
            assert host.endswith(OFFICIAL_HOSTS), f"{ident}: {host} is not an official host"


def test_rules_of_thumb_say_where_they_come_from_and_are_marked(pages):
    """Each 经验值 fact has an owner and a basis, and wherever a page renders it, it says 经验值."""
    rules_of_thumb = {ident for ident, fact in FACTS.items() if fact["confidence"] == "经验值"}
    assert all(FACTS[ident].get("basis") and FACTS[ident].get("owner") for ident in rules_of_thumb)
    shown = [(name, ident, text) for name, (_, rendered) in pages.items()
             for ident, texts in rendered.items() if ident in rules_of_thumb for text in texts]
    assert {ident for _, ident, _ in shown} >= {"wechat_no_exit_notice", "house_daily_friend_adds"}
    assert [(name, ident) for name, ident, text in shown if "经验值" not in text] == []


def same_quotes(text: str) -> str:
    """Text with corner quotes written as curly ones, so a phrase matches in either house style."""
    return text.replace("「", "“").replace("」", "”")


@pytest.mark.parametrize("phrase, why", sorted(CORRECTED.items()))
def test_corrected_claims_do_not_come_back(pages, phrase, why):
    """Wording the review found wrong appears on no page."""
    offenders = [name for name, (text, _) in pages.items() if same_quotes(phrase) in same_quotes(text)]
    assert offenders == [], f"{why}: “{phrase}” is back on {offenders}"


@pytest.mark.parametrize("ident, pattern", sorted(NUMBERS.items()))
def test_platform_numbers_are_rendered_from_their_facts(pages, ident, pattern):
    """No prose page states the number in its own words, and some page renders the fact."""
    stated = {name: re.findall(pattern, text) for name, (text, _) in pages.items()
              if name.startswith(PROSE_PAGES)}
    assert {name: found for name, found in stated.items() if found} == {}
    assert any(ident in rendered for _, rendered in pages.values()), f"{ident} is rendered nowhere"


@pytest.mark.parametrize("ident, pattern", sorted(NUMBERS.items()))
def test_data_text_calls_facts_for_numbers(ident, pattern):
    """No data file states the number in its own words; it calls fact() instead."""
    stated = {}
    for path in sorted((ROOT / "data").rglob("*.yml")):
        if path.parent.name not in ("facts", "schemas"):
            found = re.findall(pattern, DATA_CALL.sub("", path.read_text("utf-8")))
            stated.update({str(path.relative_to(ROOT)): found} if found else {})
    assert stated == {}


def test_breach_notification_reaches_the_risk_chapter_and_the_crisis_sop(pages):
    """PIPL Art. 57 (notify the regulator as well as the people) is in the chapter and the SOP."""
    text, rendered = pages["playbooks/risk-compliance/index.html"]
    assert "pipl_breach_notification" in rendered and "监管部门" in text
    actions = [step["action"] for step in PROJECT.items("sops")["crisis_response"]["steps"]]
    assert any("第五十七条" in action and "履行个人信息保护职责的部门" in action for action in actions)


def test_rebuttals_of_the_review_are_tabled_on_the_facts_page(site):
    """Where the check disagreed with the review, the 速查 page says so in a 说法/核对结果/来源 table."""
    html = (site / FACTS_PAGE).read_text("utf-8")
    table = html[html.index("对内容评审的核对结论"):]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table)[:3]
    assert headers == ["说法", "核对结果", "来源"]
    rows = re.findall(r"<tr>\s*<td", table.split("</table>")[0])
    assert len(rows) >= 4 and "180 天" in table and "2025 年 3 月" in table
