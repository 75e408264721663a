"""Editor help: the ids that data files refer to (roles, templates, checklists, metrics), as a JSON
Schema fragment, data/schemas/ids.schema.json, which common.schema.json and sop.schema.json refer
to. VS Code's YAML extension (yaml-language-server) then completes those ids, shows each one's
Chinese name, and underlines an unknown one. `make check` writes the file from data/ whenever it is
out of date; it is committed, so an editor has it on a fresh clone. The loader leaves it out
(schemacheck.EDITOR_ONLY): its own cross-checks say more about an unknown id."""

import json
from pathlib import Path

from .schemacheck import EDITOR_ONLY

# Each list's name in ids.schema.json: the kind whose ids it holds and the field that names an item.
LISTS = {"role": ("roles", "name"), "template": ("templates", "title"),
         "checklist": ("checklists", "title"), "metric": ("metrics", "name")}


def schema(project) -> dict:
    """The id lists of the project's items, each id with its name for the editor to show."""
    lists = {}
    for name, (kind, label) in LISTS.items():
        items = sorted(project.items(kind).items())
        lists[name] = {"description": f"data/{kind}/ 里已有的{project.noun(kind)} id。",
                       "enum": [ident for ident, _ in items],
                       "enumDescriptions": [data[label] for _, data in items]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "已有的 id（由 make check 生成，不要手改）",
            "description": "编辑器用它补全和检查 id；新增或改名数据文件后运行 make check 更新。",
            "$defs": lists}


def path(root: Path) -> Path:
    """Where the id lists live in a project."""
    return Path(root) / "data/schemas" / EDITOR_ONLY


def text(project) -> str:
    """The file's text: stable, so an unchanged project gives an unchanged file."""
    return json.dumps(schema(project), ensure_ascii=False, indent=2) + "\n"


def refresh(project) -> bool:
    """Write the id lists if they differ from the file; whether it was written."""
    target, wanted = path(project.root), text(project)
    if target.is_file() and target.read_text("utf-8") == wanted:
        return False
    target.write_text(wanted, "utf-8")
    return True
