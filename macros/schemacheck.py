"""JSON Schema validation of one parsed document, with errors phrased as problems with fixes."""

import difflib
import json
from functools import cache
from pathlib import Path

import jsonschema_rs

from .problems import Problem
from .yamlsource import Document

TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字",
    "boolean": "布尔值（true 或 false）", "array": "列表", "object": "一组字段", "null": "空值",
}
TYPE_FIXES = {
    "array": "每一项单独写一行，以「- 」开头",
    "object": "在这个键下面缩进写各个字段，每行一个「名称: 值」",
    "boolean": "写 true 或 false",
    "integer": "写一个整数，不加引号",
    "number": "写一个数字，不加引号",
    "string": "在这里写文字；看起来像数字或 true/false 的文字要加引号",
}
FORMAT_NAMES = {"date": "日期"}
# The id lists for editors (macros/editor.py): the loader leaves them out, since the kinds'
# cross-checks report an unknown id better (the known ids, the likely one, a role's name).
EDITOR_ONLY = "ids.schema.json"


@cache
def schemas(schema_dir: Path) -> dict[str, dict]:
    """Every schema file, with each `$ref` inlined once up front: validating thousands of files
    never resolves a reference, and nothing is ever fetched."""
    raw = {p.name: json.loads(p.read_text("utf-8")) for p in schema_dir.glob("*.schema.json")}
    return {name: inline(schema, name, raw) for name, schema in raw.items()}


@cache
def fast_validators(schema_dir: Path) -> dict:
    """Compiled (Rust) validators that only say valid or not: the common case, in microseconds."""
    return {name: jsonschema_rs.validator_for(schema, validate_formats=True)
            for name, schema in schemas(schema_dir).items()}


@cache
def validators(schema_dir: Path) -> dict:
    """Python validators that explain what is wrong; built only when a file is invalid."""
    from jsonschema import Draft202012Validator

    return {name: Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
            for name, schema in schemas(schema_dir).items()}


def inline(node, document: str, schemas: dict):
    """A copy of a schema node with each `$ref` replaced by the schema it names (one into
    EDITOR_ONLY by nothing). Keywords beside the `$ref` (a description, an x-fix, an extra
    minItems) are kept and win over the target's."""
    if isinstance(node, list):
        return [inline(item, document, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" not in node:
        return {key: inline(value, document, schemas) for key, value in node.items()}
    target_file, _, pointer = node["$ref"].partition("#")
    target_file = target_file or document
    if target_file == EDITOR_ONLY:
        return {key: inline(value, document, schemas) for key, value in node.items() if key != "$ref"}
    target = schemas[target_file]
    for part in filter(None, pointer.split("/")):
        target = target[part]
    merged = {**inline(target, target_file, schemas),
              **{k: inline(v, document, schemas) for k, v in node.items() if k != "$ref"}}
    return merged


def where(path) -> str:
    """A readable location such as `steps[2].raci.A`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def kind_of(value) -> str:
    """What a YAML value looks like, in words."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, str):
        return "文字"
    return "列表" if isinstance(value, list) else "一组字段"


def outer_fix(root_schema: dict, schema_path) -> str | None:
    """The last `x-fix` met while walking the root schema along an error's schema path."""
    node, found = root_schema, None
    for key in schema_path:
        if isinstance(node, dict) and key in node and key != "$ref":
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            break
        if isinstance(node, dict) and "x-fix" in node:
            found = node["x-fix"]
    return found


def phrase(error, root_schema: dict) -> list[tuple[tuple, str, str]]:
    """(path, what, fix) triples for one validation error."""
    path, value, rule = tuple(error.absolute_path), error.instance, error.validator
    fix = outer_fix(root_schema, error.schema_path) or error.schema.get("x-fix")
    if rule == "required":
        name = error.message.split("'")[1]
        described = error.schema.get("properties", {}).get(name, {}).get("description", "")
        hint = f"（{described}）" if described else ""
        return [(path, f"缺少必填字段「{name}」", f"加一行「{name}:」{hint}")]
    if rule == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        results = []
        for extra in sorted(set(value) - set(allowed)):
            close = difflib.get_close_matches(extra, allowed, n=1)
            hint = f"是不是「{close[0]}」？" if close else "删掉它或改正字段名；"
            results.append((path + (extra,), f"没有「{extra}」这个字段",
                            f"{hint}可以写的字段：{', '.join(allowed)}"))
        return results
    if rule == "type":
        rule_value = error.validator_value
        wanted = TYPE_NAMES.get(rule_value, rule_value)
        default = TYPE_FIXES.get(rule_value, "参照 data/README.md 的例子") if path else \
            "文件里应当是一行一个的字段，例如「id: …」；参照 data/README.md 的例子"
        return [(path, f"应当是{wanted}，这里是{kind_of(value)}", fix or default)]
    if rule == "enum":
        return [(path, f"「{value}」不是可选的值",
                 "只能写其中之一：" + "、".join(map(str, error.validator_value)))]
    if rule == "pattern":
        return [(path, f"「{value}」的格式不对",
                 fix or f"写成符合 {error.validator_value} 的形式")]
    if rule == "format":
        wanted = FORMAT_NAMES.get(error.validator_value, error.validator_value)
        return [(path, f"「{value}」不是真实的{wanted}", fix or "改正这个值")]
    if rule == "minLength":
        return [(path, "是空的", fix or "写上内容")]
    if rule == "maxLength":
        return [(path, f"文字有 {len(value):,} 个字符，超过上限 {error.validator_value:,}",
                 "精简这段文字；很长的说明请写进章节正文，再从数据里链接过去")]
    if rule == "minItems":
        return [(path, f"至少要有 {error.validator_value} 项", "加上一项")]
    if rule == "uniqueItems":
        return [(path, "同一个值写了两次", "删掉重复的那一项")]
    if rule in ("minimum", "maximum"):
        bound = "不小于" if rule == "minimum" else "不大于"
        return [(path, f"{value} 超出了范围", f"写一个{bound} {error.validator_value} 的数")]
    if rule == "minProperties":
        names = "、".join(sorted(error.schema.get("properties", {})))
        return [(path, "是空的", f"至少写其中一项：{names}")]
    return [(path, f"不符合 Schema 的「{rule}」规则：{error.message}",
             "对照 data/schemas/ 里这种数据的 Schema 改正")]


def check(document: Document, schema_name: str, schema_dir: Path, rel: str) -> list[Problem]:
    """Every schema problem in a document, one per location, each with its line."""
    if fast_validators(schema_dir)[schema_name].is_valid(document.data):
        return []
    validator = validators(schema_dir)[schema_name]
    problems, seen = [], set()
    for error in sorted(validator.iter_errors(document.data), key=lambda e: [str(p) for p in e.path]):
        for path, what, fix in phrase(error, validator.schema):
            key = (path, what) if error.validator in ("required", "additionalProperties") else path
            if key in seen:
                continue
            seen.add(key)
            loc = where(path)
            problems.append(Problem(rel, document.line(path), f"{loc}: {what}" if loc else what, fix))
    return problems
