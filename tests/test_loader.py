"""Loader tests: valid fixtures, one invalid input per distinct failure, and unit tests."""

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, VALID_FIXTURE
from macros import formula, schemacheck
from macros.loader import load
from macros.problems import Problem, report
from macros.yamlsource import YamlProblem, parse

ROLE = "data/roles/admin.yml"
SOP = "data/sops/new_member_welcome.yml"
CHECKLIST = "data/checklists/new_member_onboarding.yml"
TEMPLATE = "data/templates/welcome_message.yml"
METRIC = "data/metrics/activity_rate.yml"
BANDED = "data/metrics/turnout_rate.yml"
PLAYBOOK = "playbooks/positioning.md"
COMPARISON = "data/comparisons/carriers.yml"
LEXICON = "data/lexicons/platform_risk.yml"
FACT = "data/facts/wechat_group_admin_cap.yml"
HOUSE_FACT = "data/facts/house_at_all_cap.yml"
COMMUNITY = "data/communities/writing_camp.yml"
FACT_SOURCE = ("source:\n  url: https://kf.qq.com/faq/example.html\n  title: 如何设置群管理员\n"
               "  publisher: 微信客服\n")
INLINE_FIX = ('数据里只能写 [[ fact("id") ]]、[[ fact("id", "statement") ]]、'
              '[[ community("id", "数字名") ]] 或 [[ metric_target("id") ]]（可加档名），参数加引号；'
              "id 见 data/facts/、data/communities/ 和 data/metrics/")
BAND_FIX = "一个区间适合所有社群时写 target（min、max），否则按社群类型写 bands，每档一个 name 和 min、max"
NO_SOURCE_FIX = ("加上 source：url、title、publisher（优先用平台帮助中心或法规原文）；找不到出处就把 "
                 "confidence 改成 经验值，并用 basis 写明依据")
ROLE_LINE = "# yaml-language-server: $schema=../schemas/role.schema.json\n"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a fixture file by `new`."""
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def problems(root: Path) -> list[str]:
    """The loader's problems for a project, as printed lines."""
    return [str(p) for p in load(root).problems]


# (case, file, old text, new text, expected problems); each case breaks one thing.
EDITS = [
    ("yaml_syntax", SOP, "title: 新人入群欢迎", "title: [新人入群欢迎", [
        f"{SOP}:4: YAML 语法错误：方括号 [ ] 里的列表没有正确结束，检查逗号和右括号「]」 — "
        "检查这一行和上一行的缩进、冒号和引号；冒号要用半角的「:」，后面跟一个空格"]),
    ("tab_indentation", SOP, "  - id: follow_up", "\t- id: follow_up", [
        f"{SOP}:19: 用了 Tab 键缩进 — 改用空格缩进（每层两个空格），不要用 Tab"]),
    ("duplicate_key", SOP, "frequency: 每次触发", "frequency: 每次触发\ntitle: 又一个标题", [
        f"{SOP}:7: 键「title」重复了（第一次出现在第 3 行） — 只保留一个；否则 YAML 会悄悄丢掉前一个"]),
    ("two_documents", ROLE, "  - 移出成员", "  - 移出成员\n---\nid: x", [
        f"{ROLE}:9: 文件里有不止一个 YAML 文档 — 删掉多余的 --- 分隔线；一个文件只写一项"]),
    ("merge_key", SOP, "      R: [ops_specialist]\n      A: ops_specialist\n",
     "      <<: {R: [admin]}\n      A: ops_specialist\n", [
        f"{SOP}:23: 不支持合并键（<<） — 把字段完整地写出来"]),
    ("yaml_tag", ROLE, "name: 管理员", "name: !!python/object:os.system 管理员", [
        f"{ROLE}:3: 不支持 YAML 标签 !!python/object:os.system — 删掉这个标签；要保留成文字的话，"
        "给值加上引号"]),
    ("wrong_schema_line", ROLE, ROLE_LINE, ROLE_LINE.replace("role.", "sop."), [
        f"{ROLE}:1: 第一行不是 Schema 声明 — 把第一行改成：# yaml-language-server: "
        "$schema=../schemas/role.schema.json"]),
    ("missing_field", SOP, "title: 新人入群欢迎\n", "", [
        f"{SOP}:2: 缺少必填字段「title」 — 加一行「title:」（标题，例如“新人入群欢迎”。）"]),
    ("unknown_field", SOP, "title: 新人入群欢迎", "title: 新人入群欢迎\nsteeps: []", [
        f"{SOP}:4: steeps: 没有「steeps」这个字段 — 是不是「steps」？可以写的字段：frequency, id, "
        "keywords, last_reviewed, metrics, outputs, owner, review_every_days, steps, title, trigger"]),
    ("number_for_text", PLAYBOOK, "version: 1.1.0\nstatus", "version: 1.1\nstatus", [
        f"{PLAYBOOK}:4: version: 应当是文字，这里是数字 1.1 — 版本号写成「主版本.次版本.修订号」，例如 "
        "1.2.0"]),
    ("not_semver", PLAYBOOK, "version: 1.1.0\nstatus", "version: v1.1\nstatus", [
        f"{PLAYBOOK}:4: version: 「v1.1」的格式不对 — 版本号写成「主版本.次版本.修订号」，例如 1.2.0"]),
    ("enum", PLAYBOOK, "status: active", "status: published", [
        f"{PLAYBOOK}:5: status: 「published」不是可选的值 — 只能写其中之一：draft、active、deprecated"]),
    ("id_form", SOP, "id: new_member_welcome", "id: New-Member", [
        f"{SOP}:2: id: 「New-Member」的格式不对 — 只用小写英文字母、数字和下划线，以字母开头，例如 "
        "new_member_welcome"]),
    ("impossible_date", SOP, "last_reviewed: 2026-11-23", "last_reviewed: 2026-02-30", [
        f"{SOP}:10: last_reviewed: 「2026-02-30」不是真实的日期 — 写一个真实存在的日期，格式 "
        "YYYY-MM-DD，例如 2026-11-23"]),
    ("role_name_for_id", SOP, "owner: ops_specialist", "owner: 运营专员", [
        f"{SOP}:4: owner: 「运营专员」的格式不对 — 写角色的 id：把「运营专员」改成 ops_specialist"]),
    ("yes_for_boolean", CHECKLIST, "required: true", "required: yes", [
        f"{CHECKLIST}:15: groups[0].items[0].required: 应当是布尔值（true 或 false），这里是文字 — 写 "
        "true（必做）或 false（可选）"]),
    ("empty_text", TEMPLATE, "purpose: 让新人知道这个群能给他什么、要守什么规矩。", 'purpose: ""', [
        f"{TEMPLATE}:5: purpose: 是空的 — 写上文字；以特殊符号开头的文字要加引号"]),
    ("empty_list", SOP, "outputs:\n  - 新人完成自我介绍", "outputs: []", [
        f"{SOP}:7: outputs: 至少要有 1 项 — 加上一项"]),
    ("repeated_entry", SOP, "metrics: [activity_rate]", "metrics: [activity_rate, activity_rate]", [
        f"{SOP}:9: metrics: 同一个值写了两次 — 删掉重复的那一项"]),
    ("out_of_range", SOP, "review_every_days: 90", "review_every_days: 0", [
        f"{SOP}:11: review_every_days: 0 超出了范围 — 写一个不小于 1 的数"]),
    ("empty_target", METRIC, "target: {min: 20, max: 60}", "target: {}", [
        f"{METRIC}:15: target: 是空的 — 至少写其中一项：max、min"]),
    ("unknown_role", SOP, "A: ops_lead, C", "A: content_officer, C", [
        f"{SOP}:16: steps[0].raci.A: 角色「content_officer」不存在；已有的 id：admin, ops_lead, "
        "ops_specialist — 用已有的 id，或者新建 data/roles/content_officer.yml"]),
    ("two_accountable", SOP, "A: ops_lead, C", "A: [ops_lead, admin], C", [
        f"{SOP}:16: steps[0].raci.A: 应当是文字，这里是列表 — A（拍板人）只写一个角色 id，例如 A: "
        "ops_lead"]),
    ("no_accountable", SOP, "      A: ops_specialist\n", "", [
        f"{SOP}:23: steps[1].raci: 缺少必填字段「A」 — 加一行「A:」（最终负责人（Accountable），"
        "恰好一个角色 id。）"]),
    ("unknown_template", SOP, "templates: [welcome_message]", "templates: [welcome_msg]", [
        f"{SOP}:17: steps[0].templates[0]: 消息模板「welcome_msg」不存在；已有的 id：welcome_message — "
        "用已有的 id，或者新建 data/templates/welcome_msg.yml"]),
    ("unknown_checklist", SOP, "checklists: [new_member_onboarding]", "checklists: [onboard]", [
        f"{SOP}:18: steps[0].checklists[0]: 检查清单「onboard」不存在；已有的 id：new_member_onboarding "
        "— 用已有的 id，或者新建 data/checklists/onboard.yml"]),
    ("unknown_metric", SOP, "metrics: [activity_rate]", "metrics: [active_rate]", [
        f"{SOP}:9: metrics[0]: 指标「active_rate」不存在；已有的 id：activity_rate, turnout_rate — "
        "用已有的 id，或者新建 data/metrics/active_rate.yml"]),
    ("duplicate_step", SOP, "  - id: follow_up", "  - id: greet", [
        f"{SOP}:19: steps[1].id: 步骤 id「greet」重复了（第一次出现在第 13 行） — 每一项用不同的步骤 id"]),
    ("duplicate_item", CHECKLIST, "      - id: dm_sent", "      - id: welcome_sent", [
        f"{CHECKLIST}:21: groups[1].items[0].id: 条目 id「welcome_sent」重复了（第一次出现在第 12 行） "
        "— 每一项用不同的条目 id"]),
    ("undeclared_placeholder", TEMPLATE, "群规和本周活动。", "群规和{{ 本周活动 }}。", [
        f"{TEMPLATE}:17: body: 占位符「{{{{ 本周活动 }}}}」没有声明 — 在 variables 下加上它（name: "
        "本周活动），或者改正拼写"]),
    ("unused_variable", TEMPLATE, "欢迎 @{{ 新人昵称 }} 加入", "欢迎 @新人 加入", [
        f"{TEMPLATE}:7: variables[0].name: 正文里没有用到变量「新人昵称」 — 在正文里写 {{{{ 新人昵称 "
        f"}}}}，或者删掉这个变量"]),
    ("unclosed_placeholder", TEMPLATE, "群规和本周活动。", "群规和{{ 本周活动。", [
        f"{TEMPLATE}:17: body: 有一个占位符没有闭合 — 占位符写成 {{{{ 变量名 }}}}，前后两对花括号都要有"]),
    ("too_long", TEMPLATE, "max_length: 200", "max_length: 20", [
        f"{TEMPLATE}:22: max_length: 正文填入示例后有 30 个字，超过 max_length 20 — 缩短正文，或者调高 "
        "max_length"]),
    ("duplicate_variable", TEMPLATE, "body: |", "  - name: 新人昵称\n    label: 又一个\n"
     "    default: \"\"\n    example: 小王\nbody: |", [
        f"{TEMPLATE}:15: variables[2].name: 变量名「新人昵称」重复了（第一次出现在第 7 行） — "
        "每一项用不同的变量名"]),
    ("formula_syntax", METRIC, "active_members / members * 100",
     "active_members / (members * 100", [
        f"{METRIC}:13: formula: 公式无法解析：第 32 个字符处缺少右括号 — 公式里只能写输入的 id、数字、+ "
        "- * / 和括号"]),
    ("formula_unknown_name", METRIC, "members * 100", "members * ratio", [
        f"{METRIC}:13: formula: 公式用到了「ratio」，但它不是输入；输入有：active_members, members — 在 "
        "inputs 下声明它，或者改正拼写"]),
    ("unused_input", METRIC, "active_members / members * 100", "active_members * 100", [
        f"{METRIC}:11: inputs[1].id: 公式没有用到输入「members」 — 在公式里用上它，或者删掉它"]),
    ("inverted_band", METRIC, "target: {min: 20, max: 60}", "target: {min: 80, max: 60}", [
        f"{METRIC}:15: target: 下限 min（80）高于上限 max（60） — 把两个数对调"]),
    ("no_target_or_bands", METRIC, "target: {min: 20, max: 60}\n", "", [
        f"{METRIC}:2: 没有目标区间 — {BAND_FIX}"]),
    ("target_and_bands", BANDED, "bands_by: 活动类型", "target: {min: 80}\nbands_by: 活动类型", [
        f"{BANDED}:2: target 和 bands 只能写一个 — {BAND_FIX}"]),
    ("band_without_bounds", BANDED, "  - name: 免费活动\n    min: 70\n", "  - name: 免费活动\n", [
        f"{BANDED}:17: bands[0]: 这一档没有 min 也没有 max — 至少写下限 min 或上限 max"]),
    ("inverted_band_in_bands", BANDED, "    min: 90", "    min: 120", [
        f"{BANDED}:19: bands[1]: 下限 min（120）高于上限 max（100） — 把两个数对调"]),
    ("duplicate_band_name", BANDED, "name: 付费活动", "name: 免费活动", [
        f"{BANDED}:19: bands[1].name: 档名「免费活动」重复了（第一次出现在第 17 行） — "
        "每一项用不同的档名"]),
    ("one_band_only", BANDED, "  - name: 付费活动\n    min: 90\n    max: 100\n", "", [
        f"{BANDED}:17: bands: 至少要有 2 项 — 加上一项"]),
    ("data_text_unknown_band", SOP, "timing: 入群后 5 分钟内",
     'timing: \'[[ metric_target("turnout_rate", "周末活动") ]]\'', [
         f"{SOP}:15: steps[0].timing: 指标“turnout_rate”（到场率）没有“周末活动”这一档；已有：免费活动、"
         f"付费活动 — {INLINE_FIX}"]),
    ("changelog_behind", PLAYBOOK, "version: 1.1.0\nstatus", "version: 1.2.0\nstatus", [
        f"{PLAYBOOK}:10: changelog[0].version: 最新的更新记录是 1.1.0，但 version 是 1.2.0 — 在 "
        "changelog 最上面为新版本加一条记录，或者改正 version"]),
    ("changelog_order", PLAYBOOK, "  - version: 1.0.0", "  - version: 1.2.0", [
        f"{PLAYBOOK}:13: changelog[1].version: 更新记录 1.2.0 不比上面的 1.1.0 旧 — "
        "按从新到旧排列更新记录，每一条的版本号都比上一条低"]),
    ("changelog_dates", PLAYBOOK, "    date: 2026-10-01", "    date: 2026-11-24", [
        f"{PLAYBOOK}:14: changelog[1].date: 更新记录 1.0.0 的日期晚于上面的 1.1.0 — 改正日期："
        "新版本的日期不能早于旧版本"]),
    ("no_front_matter", PLAYBOOK, "---\ntitle: 社群定位", "title: 社群定位", [
        f"{PLAYBOOK}:1: 章节没有头信息 — 在文件开头写一段用 --- 包起来的头信息，包含 title、version、"
        "status、owner、last_reviewed、review_every_days 和 changelog"]),
    ("unclosed_front_matter", PLAYBOOK, "summary: 首次发布。\n---", "summary: 首次发布。", [
        f"{PLAYBOOK}:1: 头信息没有结束 — 在头信息末尾加一行，只写 ---"]),
    ("missing_column", COMPARISON, "    size_limit: 500 人\n", "", [
        f"{COMPARISON}:11: rows[0]: 缺少「size_limit」这一列 — 在这一行加上 size_limit: …"]),
    ("unknown_column", COMPARISON, "    size_limit: 500 人", "    size_limit: 500 人\n    cost: 免费", [
        f"{COMPARISON}:13: rows[0].cost: 没有「cost」这一列 — 只能写这些列：carrier, size_limit"]),
    ("risky_phrase", TEMPLATE, "群规和本周活动。", "群规和本周活动，仅限今天。", [
        f"{TEMPLATE}:17: body: 用了「仅限今天」，平台可能把它当作营销骚扰 — 写清真实的截止时间。（见 "
        "data/lexicons/）"]),
    ("duplicate_phrase", LEXICON, "  - phrase: 仅限今天", "  - phrase: 转发到", [
        f"{LEXICON}:10: entries[1].phrase: 词语「转发到」重复了（第一次出现在第 6 行） — "
        "每一项用不同的词语"]),
    ("dead_link", CHECKLIST, "/playbooks/positioning.md#入群门槛", "/playbooks/nowhere.md", [
        f"{CHECKLIST}:17: groups[0].items[0].link: 链接「/playbooks/nowhere.md」指向的页面不存在 — "
        "链接到一个存在的文件，例如 /playbooks/positioning.md"]),
    ("official_fact_without_source", FACT, FACT_SOURCE, "", [
        f"{FACT}:7: confidence: 可信度是“官方”，却没有写出处 — {NO_SOURCE_FIX}"]),
    ("third_party_fact_without_source", FACT, "confidence: 官方\n" + FACT_SOURCE, "confidence: 第三方\n", [
        f"{FACT}:7: confidence: 可信度是“第三方”，却没有写出处 — {NO_SOURCE_FIX}"]),
    ("rule_of_thumb_without_basis", HOUSE_FACT,
     "basis: 三个示例社群的复盘：超过这个频率，退群和屏蔽明显增多。\n", "", [
         f"{HOUSE_FACT}:6: confidence: 经验值没有写依据 — 加一行 basis：用一句话说明这个数字从哪里来，"
         "例如哪些社群、哪段时间的数据"]),
    ("fact_owner_unknown", FACT, "owner: ops_lead", "owner: fact_checker", [
        f"{FACT}:13: owner: 角色「fact_checker」不存在；已有的 id：admin, ops_lead, ops_specialist — "
        "用已有的 id，或者新建 data/roles/fact_checker.yml"]),
    ("fact_checked_not_a_date", FACT, "checked: 2026-11-20", "checked: 2026-02-30", [
        f"{FACT}:12: checked: 「2026-02-30」不是真实的日期 — 写一个真实存在的日期，格式 YYYY-MM-DD，"
        "例如 2026-11-23"]),
    ("fact_source_not_http", FACT, "https://kf.qq.com/faq/example.html", "javascript:alert(1)", [
        f"{FACT}:9: source.url: 出处网址“javascript:alert(1)”不是 http(s) 网址 — 写完整的网址，以 https:// "
        "或 http:// 开头"]),
    ("house_fact_on_a_platform", HOUSE_FACT, "platform: 运营经验", "platform: 微信", [
        f"{HOUSE_FACT}:2: id: id 以 house_ 开头表示团队约定，但可信度是“经验值”、平台是“微信” — 团队约定写 "
        "confidence: 经验值 和 platform: 运营经验；平台规则或法规就换一个不以 house_ 开头的 id"]),
    ("community_number_key_form", COMMUNITY, "  review_sla:", "  Review-SLA:", [
        f"{COMMUNITY}:7: numbers: 「Review-SLA」的格式不对 — 只用小写英文字母、数字和下划线，"
        "以字母开头，例如 new_member_welcome"]),
    ("community_number_without_label", COMMUNITY, "    label: 作业点评时限\n", "", [
        f"{COMMUNITY}:12: numbers.review_sla: 缺少必填字段「label」 — 加一行「label:」（这个数字是什么，"
        "例如“作业点评时限”。）"]),
    ("data_text_unknown_fact", SOP, "timing: 入群后 5 分钟内",
     'timing: 入群后 [[ fact("welcome_sla") ]] 内', [
        f"{SOP}:15: steps[0].timing: 事实“welcome_sla”不存在：data/facts/ 里没有这个 id；已有的 id："
        f"house_at_all_cap, wechat_group_admin_cap — {INLINE_FIX}"]),
    ("data_text_unknown_number", SOP, "timing: 入群后 5 分钟内",
     'timing: 入群后 [[ community("writing_camp", "welcome_sla") ]] 内', [
         f"{SOP}:15: steps[0].timing: 示例社群“writing_camp”（21 天写作营）没有数字“welcome_sla”；"
         f"已有：members, refund_rule, review_sla — {INLINE_FIX}"]),
    ("data_text_unquoted_id", TEMPLATE, "群规和本周活动。",
     "群规和本周活动，每周最多 [[ fact(house_at_all_cap) ]]。", [
        f"{TEMPLATE}:17: body: “[[ fact(house_at_all_cap) ]]”不是数据里能用的写法 — {INLINE_FIX}"]),
    ("data_text_other_macro", SOP, "timing: 入群后 5 分钟内", 'timing: \'[[ checklist("x") ]]\'', [
        f"{SOP}:15: steps[0].timing: “[[ checklist(\"x\") ]]”不是数据里能用的写法 — {INLINE_FIX}"]),
    ("link_form", CHECKLIST, "/playbooks/positioning.md#入群门槛", "positioning.md", [
        f"{CHECKLIST}:17: groups[0].items[0].link: 「positioning.md」的格式不对 — 写完整的 https:// "
        "网址，或站内路径，例如 /playbooks/structure.md#入群门槛"]),
]


@pytest.mark.parametrize("case, rel, old, new, expected", EDITS, ids=[c[0] for c in EDITS])
def test_invalid_edit_is_reported_exactly(project, case, rel, old, new, expected):
    """Each broken fixture gives exactly the expected `path:line: what — fix` lines."""
    edit(project, rel, old, new)
    assert problems(project) == expected


def test_calls_in_data_text_are_replaced_by_the_numbers_they_name(project):
    """Facts, community numbers and metric targets called in data text become plain text on load,
    and the template length check counts the text readers get."""
    edit(project, SOP, "timing: 入群后 5 分钟内",
         'timing: 入群后 [[ community("writing_camp", "review_sla") ]] 内，[[ fact("house_at_all_cap", '
         '"statement") ]]目标 [[ metric_target("activity_rate") ]]')
    edit(project, TEMPLATE, "群规和本周活动。", "群规和本周活动，@所有人 [[ fact('house_at_all_cap') ]]。")
    edit(project, TEMPLATE, "max_length: 200", "max_length: 40")
    loaded = load(project)
    step = loaded.items("sops")["new_member_welcome"]["steps"][0]
    assert step["timing"] == ("入群后 24 小时 内，任何群每周最多 @所有人 1 次，只用于会影响成员安排的通知。"
                              "目标 20%～60%")
    assert loaded.items("templates")["welcome_message"]["body"].endswith("，@所有人 每周 1 次。\n")
    assert [str(p) for p in loaded.problems] == [
        f"{TEMPLATE}:22: max_length: 正文填入示例后有 42 个字，超过 max_length 40 — 缩短正文，或者调高 "
        "max_length"]


OWNER_WARNING = (f"警告：{SOP}:4: owner: SOP 负责人管理员（admin）在任何一步里都既不是执行人（R），"
                 "也不是拍板人（A） — 让管理员在它对结果负责的步骤里做 A（或 R）；"
                 "如果另有角色真正负责这个 SOP，把 owner 改成那个角色")
SHARE_WARNING = ("警告：data/roles/ops_lead.yml:2: 运营负责人（ops_lead）是全部 2 个 SOP 步骤中 2 个的"
                 "拍板人（A），超过一半 — 每一步的 A 应是对这一步结果负责的角色，通常是 SOP 的负责人；"
                 "只把真正由运营负责人拍板的决定留给运营负责人，"
                 "其余步骤的 A 改成 SOP 的 owner 或执行这一步的角色")


def test_valid_fixture_has_no_warnings(project):
    """The fixture's RACI is sound: its owner does a step and no role is A on most steps."""
    assert load(project).warnings == []


@pytest.mark.parametrize("old, new, expected", [
    ("owner: ops_specialist", "owner: admin", OWNER_WARNING),
    ("      A: ops_specialist\n", "      A: ops_lead\n", SHARE_WARNING),
], ids=["owner_not_r_or_a", "one_role_a_on_most_steps"])
def test_raci_warnings_are_reported_and_fail_nothing(project, old, new, expected):
    """An SOP owner with no R or A step, and a role that is A on more than half of all steps, give a
    warning in the `path:line: what — fix` form, prefixed 警告：; neither is a problem."""
    edit(project, SOP, old, new)
    loaded = load(project)
    assert loaded.problems == []
    assert [str(w) for w in loaded.warnings] == [expected]


def test_a_role_accountable_for_exactly_half_the_steps_is_not_warned(project):
    """The share warning starts above one half: 1 of 2 steps is fine."""
    edit(project, SOP, "A: ops_lead, C", "A: admin, C")
    edit(project, SOP, "      A: ops_specialist\n", "      A: ops_lead\n")
    assert load(project).warnings == []


def test_check_command_prints_warnings_and_passes(project):
    """`python -m macros check` prints each warning and a count on stderr, and still exits 0."""
    edit(project, SOP, "owner: ops_specialist", "owner: admin")
    result = subprocess.run([sys.executable, "-m", "macros", "check", "--root", str(project)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [OWNER_WARNING, "1 条警告：不影响检查通过，但请尽快处理。"]
    assert "数据全部有效" in result.stdout


def test_fact_checked_in_the_future_is_refused(project):
    """A checked date after today is refused, naming today."""
    edit(project, FACT, "checked: 2026-11-20", "checked: 2999-01-01")
    today = datetime.date.today().isoformat()
    assert problems(project) == [
        f"{FACT}:12: checked: 核对日期 2999-01-01 晚于今天（{today}） — 写实际对照出处核对的那一天，"
        "不能填将来的日期"]


# (case, file, bytes written, expected problems): whole files that cannot be data.
BILLION_LAUGHS = ROLE_LINE + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
WHOLE_FILES = [
    ("empty_file", ROLE, b"", [
        f"{ROLE}:1: 文件里没有数据 — 把内容填上；data/README.md 里每种数据都有例子"]),
    ("only_comment", ROLE, ROLE_LINE.encode(), [
        f"{ROLE}:1: 文件里没有数据 — 把内容填上；data/README.md 里每种数据都有例子"]),
    ("not_utf8", ROLE, (ROLE_LINE + "id: admin\nname: 管理员\n").encode("gb18030"), [
        f"{ROLE}:3: 文件不是 UTF-8 编码（字节 0xb9） — 用 UTF-8 编码重新保存这个文件"]),
    ("alias_bomb", ROLE, BILLION_LAUGHS.encode(), [
        f"{ROLE}:3: 用了别名（*名称）来重复另一个值 — 把值完整地写出来；不支持锚点（&）和别名（*）"]),
    ("huge_file", ROLE, ROLE_LINE.encode() + b"# " + b"x" * 50_000_000 + b"\n", [
        f"{ROLE}:1: 文件太大（50,000,063 字节） — 一个文件不要超过 1,000,000 字节，把它拆开"]),
    ("deep_nesting", ROLE, (ROLE_LINE + "id: " + "[" * 2000 + "]" * 2000 + "\n").encode(), [
        f"{ROLE}:2: 数据嵌套超过 40 层 — 减少嵌套层数；应有的结构见 data/README.md"]),
    ("text_not_fields", ROLE, (ROLE_LINE + "管理员\n").encode(), [
        f"{ROLE}:2: 应当是一组字段，这里是文字 — 文件里应当是一行一个的字段，例如「id: …」；参照 "
        "data/README.md 的例子"]),
    ("list_not_fields", ROLE, (ROLE_LINE + "- id: admin\n").encode(), [
        f"{ROLE}:2: 应当是一组字段，这里是列表 — 文件里应当是一行一个的字段，例如「id: …」；参照 "
        "data/README.md 的例子"]),
    ("duplicate_id", "data/roles/admin2.yml",
     (VALID_FIXTURE / ROLE).read_bytes(), [
        "data/roles/admin2.yml:2: id「admin」和文件名 admin2.yml 不一致 — 把文件改名为 admin.yml，"
        "或者把 id 改成 admin2",
        "data/roles/admin2.yml:2: id「admin」重复了（data/roles/admin.yml 也用了它） — 换一个 id："
        "同一种数据里每个 id 只能用一次"]),
    ("id_not_file_name", "data/roles/support.yml",
     (VALID_FIXTURE / ROLE).read_bytes().replace(b"id: admin", b"id: helper"), [
        "data/roles/support.yml:2: id「helper」和文件名 support.yml 不一致 — 把文件改名为 helper.yml，"
        "或者把 id 改成 support"]),
    ("same_title_and_chapter", "playbooks/structure.md", (VALID_FIXTURE / PLAYBOOK).read_bytes(), [
        f"{PLAYBOOK}:2: title: title「社群定位」和 playbooks/structure.md 重复 — 每个章节用不同的 title",
        f"{PLAYBOOK}:3: chapter: chapter「1」和 playbooks/structure.md 重复 — 每个章节用不同的 chapter",
        "playbooks/structure.md:2: title: title「社群定位」和 playbooks/positioning.md 重复 — "
        "每个章节用不同的 title",
        "playbooks/structure.md:3: chapter: chapter「1」和 playbooks/positioning.md 重复 — "
        "每个章节用不同的 chapter"]),
    ("wrong_extension", "data/roles/support.yaml", (VALID_FIXTURE / ROLE).read_bytes(), [
        "data/roles/support.yaml:1: 不是 .yml 文件，不会被读取（data/roles/ 里只读 .yml 文件） — "
        "改名为 support.yml，或者把它移出 data/"]),
    ("unknown_folder", "data/sop/welcome.yml", (VALID_FIXTURE / SOP).read_bytes(), [
        "data/sop:1: data/ 里没有这种数据文件夹 — 把里面的文件移到这些文件夹之一：checklists, "
        "communities, comparisons, facts, lexicons, metrics, roles, sops, synonyms, templates"]),
]


@pytest.mark.parametrize("case, rel, content, expected", WHOLE_FILES, ids=[c[0] for c in WHOLE_FILES])
def test_unreadable_file_is_reported_exactly(project, case, rel, content, expected):
    """Files that are not data at all give one clear problem each, and never a traceback."""
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert problems(project) == expected


def test_valid_fixture_has_no_problems(project):
    """The valid fixture loads with every kind present and no problems."""
    loaded = load(project)
    assert loaded.problems == []
    assert {kind: sorted(items) for kind, items in loaded.records.items()} == {
        "roles": ["admin", "ops_lead", "ops_specialist"],
        "sops": ["new_member_welcome"], "checklists": ["new_member_onboarding"],
        "templates": ["welcome_message"], "metrics": ["activity_rate", "turnout_rate"],
        "comparisons": ["carriers"], "lexicons": ["platform_risk"], "synonyms": [],
        "playbooks": ["positioning"],
        "facts": ["house_at_all_cap", "wechat_group_admin_cap"], "communities": ["writing_camp"]}
    sop = loaded.items("sops")["new_member_welcome"]
    assert sop["steps"][0]["raci"] == {"R": ["ops_specialist"], "A": "ops_lead", "C": [],
                                       "I": ["admin"]}
    assert sop["last_reviewed"] == "2026-11-23"


def test_all_problems_are_reported_in_one_run(project):
    """Problems in several files are all collected, sorted by file and line."""
    edit(project, SOP, "A: ops_lead, C", "A: nobody, C")
    edit(project, METRIC, "target: {min: 20, max: 60}", "target: {min: 80, max: 60}")
    edit(project, PLAYBOOK, "status: active", "status: live")
    found = problems(project)
    assert [line.split(":")[0] for line in found] == [METRIC, SOP, PLAYBOOK]


def test_a_broken_file_does_not_cascade_into_unknown_references(project):
    """A role file that fails to parse still counts as known, so only its own problem shows."""
    (project / ROLE).write_text(ROLE_LINE + "id: admin\nname: [管理员\n", "utf-8")
    found = problems(project)
    assert len(found) == 1 and found[0].startswith(f"{ROLE}:")


def test_check_command_prints_every_problem_and_exits_1(project):
    """`python -m macros check` prints the report on stderr and exits 1; 0 when clean."""
    command = [sys.executable, "-m", "macros", "check", "--root", str(project)]
    clean = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    assert "数据全部有效" in clean.stdout
    edit(project, SOP, "A: ops_lead, C", "A: nobody, C")
    edit(project, METRIC, "target: {min: 20, max: 60}", "target: {min: 80, max: 60}")
    broken = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert broken.returncode == 1
    assert broken.stderr == report(load(project).problems) + "\n"
    assert "Traceback" not in broken.stderr
    assert broken.stderr.splitlines()[-1] == "共发现 2 个问题，改好后再运行一次。"


def test_real_project_passes_check():
    """The real data/ and playbooks/ have no problems (what `make check` runs). The version rule
    needs a base branch, which a CI checkout may not have as `main`: test_workflow.py tests it."""
    result = subprocess.run([sys.executable, "-m", "macros", "check", "--no-version-check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("text, value", [
    ("no", "no"), ("on", "on"), ("yes", "yes"), ("2026-11-01", "2026-11-01"), ("1.0.0", "1.0.0"),
    ("true", True), ("false", False), ("null", None), ("~", None), ("42", 42), ("-3", -3),
    ("0.5", 0.5), ("'42'", "42"), ('"true"', "true"), ("文字", "文字"), ("", None),
])
def test_scalars_follow_yaml_1_2(text, value):
    """Only true/false are booleans; no/on/dates/versions stay text; quoted stays text."""
    assert parse(f"v: {text}\n".encode(), "x.yml").data == {"v": value}


def test_lines_are_recorded_for_nested_values():
    """Every value's line is known by its path, with parents as a fallback."""
    doc = parse(b"a: 1\nb:\n  - x\n  - c: 2\n", "x.yml", offset=10)
    assert doc.line(("a",)) == 11
    assert doc.line(("b", 1, "c")) == 14
    assert doc.line(("b", 1, "missing")) == 14


def test_parsing_a_file_again_gives_fresh_data_and_follows_edits():
    """parse() keeps each file's node tree while its text is unchanged (`make serve` reads every
    file on every rebuild): changing the data it returned does not reach the next parse, an
    edited text is parsed anew, and a file that became unreadable is reported."""
    first = parse(b"a: 1\nb: [x]\n", "data/kept.yml")
    first.data["b"].append("changed by a caller")
    assert parse(b"a: 1\nb: [x]\n", "data/kept.yml").data == {"a": 1, "b": ["x"]}
    assert parse(b"a: 2\nb: [x]\n", "data/kept.yml").data == {"a": 2, "b": ["x"]}
    with pytest.raises(YamlProblem):
        parse(b"a: [2\n", "data/kept.yml")
    assert parse(b"a: 1\nb: [x]\n", "data/kept.yml").data == {"a": 1, "b": ["x"]}


def test_parse_raises_a_problem_not_an_exception_trace():
    """Unparseable input raises YamlProblem carrying a Problem with file and line."""
    with pytest.raises(YamlProblem) as caught:
        parse(b"a: 1\na: 2\n", "data/x.yml")
    assert caught.value.problem == Problem("data/x.yml", 2, "键「a」重复了（第一次出现在第 1 行）",
                                           "只保留一个；否则 YAML 会悄悄丢掉前一个")


@pytest.mark.parametrize("text, tree", [
    ("a + b * c", ("+", ("name", "a"), ("*", ("name", "b"), ("name", "c")))),
    ("(a + b) * c", ("*", ("+", ("name", "a"), ("name", "b")), ("name", "c"))),
    ("-a / b * 100", ("*", ("/", ("neg", ("name", "a")), ("name", "b")), ("num", 100.0))),
    ("a - b - c", ("-", ("-", ("name", "a"), ("name", "b")), ("name", "c"))),
    ("+1.5 * .5", ("*", ("num", 1.5), ("num", 0.5))),
])
def test_formula_parses_with_precedence(text, tree):
    """The formula language has the usual precedence, left to right within a level."""
    assert formula.parse(text) == tree


@pytest.mark.parametrize("text, message", [
    ("a +", "第 4 个字符处公式没有写完，结尾还缺一个数字或名称"),
    ("(a", "第 3 个字符处缺少右括号"),
    ("a b", "第 3 个字符处多出了 'b'"),
    ("a % 2", "第 3 个字符处出现了不该有的字符 '%'"),
    ("__import__('os')", "第 12 个字符处出现了不该有的字符 \"'\""),
    (")", "第 1 个字符处应当是数字、名称或「(」，这里却是 ')'"),
])
def test_formula_rejects_what_it_does_not_know(text, message):
    """Anything beyond numbers, names, + - * / and parentheses is refused with a column."""
    with pytest.raises(formula.FormulaError, match=re.escape(message)):
        formula.parse(text)


def test_formula_names():
    """names() lists every input a formula uses."""
    assert formula.names(formula.parse("(new - left) / members * 100")) == {"new", "left",
                                                                              "members"}


def readme_examples() -> list[tuple[str, str]]:
    """(schema name, YAML text) for every example in data/README.md that names its schema."""
    text = (ROOT / "data/README.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    found = [(re.search(r"schemas/(\w+\.schema\.json)", b).group(1), b) for b in blocks
             if b.startswith("# yaml-language-server")]
    found += [("playbook.schema.json", b.split("---\n")[1]) for b in blocks if b.startswith("---")]
    return found


def test_readme_examples_match_the_schemas():
    """Each example in data/README.md is valid against its schema, so the docs cannot rot."""
    examples = readme_examples()
    assert sorted(name for name, _ in examples) == sorted(
        f"{kind}.schema.json" for kind in ("role", "sop", "checklist", "template", "metric",
                                           "fact", "community", "playbook"))
    for name, block in examples:
        doc = parse(block.encode(), "README")
        assert schemacheck.check(doc, name, ROOT / "data/schemas", "README") == [], name
