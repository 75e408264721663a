"""The bench's own machinery, checked without timing anything: synthetic projects are valid, the
pre-rendered variant B builds the same pages as the real site, and a missing tool is reported."""

import json
import re

from bench.__main__ import RESULTS, build, build_zensical, markdown, prerendered, verdicts
from bench.reload import EDITS
from bench.synth import ROOT, generate
from macros.loader import load


def test_synthetic_project_is_valid(tmp_path):
    """A generated project with 3 playbooks has each playbook's SOP, checklist and template."""
    project = load(generate(tmp_path / "synth", 3))
    assert project.problems == []
    assert sorted(project.items("sops")) == ["sop_1", "sop_2", "sop_3"]
    assert sorted(project.items("checklists")) == ["checklist_1", "checklist_2", "checklist_3"]
    assert len(project.items("playbooks")) == 3


def test_synthetic_project_builds_with_both_builders(tmp_path):
    """The bench's synthetic sites build strict with MkDocs and with Zensical."""
    project = generate(tmp_path / "synth", 3)
    build(project, tmp_path / "out")
    build_zensical(project)
    for site in (tmp_path / "out", project / "site-zensical"):
        assert (site / "playbooks/p0001/index.html").is_file()


def article(html: str) -> str:
    """A page's article without the git date, which depends on the checkout."""
    body = re.search(r"<article.*?</article>", html, re.DOTALL).group(0)
    return re.sub(r'<aside class="md-source-file">.*?</aside>', "", body, flags=re.DOTALL)


def test_prerendered_variant_builds_the_same_articles(site, server, tmp_path):
    """Variant B (macros pre-rendered, plain Material) yields the same article HTML as the site."""
    out = tmp_path / "b-out"
    build(prerendered(tmp_path / "b"), out, server.url)
    for page in ("playbooks/structure/index.html", "roles/ops_lead/index.html",
                 "library/templates/index.html", "onboarding/index.html"):
        assert article((out / page).read_text("utf-8")) == article((site / page).read_text("utf-8")), page


def test_skipped_lighthouse_is_a_missed_target_with_its_reason():
    """When Lighthouse cannot run, the table says why and lists it as missed, never as held."""
    results = json.loads((RESULTS / "latest.json").read_text("utf-8"))
    results["lighthouse"] = {"skipped": "npm is not installed; Lighthouse needs Node.js"}
    results["verdicts"] = verdicts(results)
    table = markdown(results)
    assert results["verdicts"]["lighthouse"] is False
    assert "| Lighthouse | npm is not installed; Lighthouse needs Node.js |" in table
    missed = next(line for line in table.splitlines() if line.startswith("未达标："))
    assert "lighthouse" in missed.split("：", 1)[1]


def test_reload_edits_find_their_anchors():
    """Each edit the reload bench makes lands: its anchor is in the file (a renamed heading once
    left the bench waiting for a change that was never written)."""
    for rel, anchor, _ in EDITS.values():
        assert (ROOT / rel).read_text("utf-8").count(anchor) >= 1, f"{rel} has no {anchor!r}"
