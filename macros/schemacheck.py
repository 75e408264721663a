"""JSON Schema validation of one parsed document, with errors phrased as problems with fixes."""

import difflib
import json
from functools import cache
from pathlib import Path

import jsonschema_rs

from .problems import Problem
from .yamlsource import Document

TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number",
    "boolean": "true or false", "array": "a list", "object": "a set of fields", "null": "nothing",
}
TYPE_FIXES = {
    "array": "write each entry on its own line starting with '- '",
    "object": "write the fields indented below this key, one 'name: value' per line",
    "boolean": "write true or false",
    "integer": "write a whole number without quotes",
    "number": "write a number without quotes",
    "string": "write text here; quote it if it looks like a number or true/false",
}


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
    """A copy of a schema node with each `$ref` replaced by the schema it names. Keywords beside
    the `$ref` (a description, an x-fix, an extra minItems) are kept and win over the target's."""
    if isinstance(node, list):
        return [inline(item, document, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" not in node:
        return {key: inline(value, document, schemas) for key, value in node.items()}
    target_file, _, pointer = node["$ref"].partition("#")
    target_file = target_file or document
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
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a set of fields"


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
        hint = f" ({described})" if described else ""
        return [(path, f'missing required field "{name}"', f'add a "{name}:" line{hint}')]
    if rule == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        results = []
        for extra in sorted(set(value) - set(allowed)):
            close = difflib.get_close_matches(extra, allowed, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "remove it or fix its name;"
            results.append((path + (extra,), f'unknown field "{extra}"',
                            f"{hint} allowed fields: {', '.join(allowed)}"))
        return results
    if rule == "type":
        rule_value = error.validator_value
        wanted = TYPE_NAMES.get(rule_value, rule_value)
        default = TYPE_FIXES.get(rule_value, "see data/README.md") if path else \
            "the file must hold fields such as `id: …`, one per line; see data/README.md"
        return [(path, f"expected {wanted}, found {kind_of(value)}", fix or default)]
    if rule == "enum":
        return [(path, f'"{value}" is not an allowed value',
                 "use one of: " + ", ".join(map(str, error.validator_value)))]
    if rule == "pattern":
        return [(path, f'"{value}" is not in the expected form',
                 fix or f"match the pattern {error.validator_value}")]
    if rule == "format":
        return [(path, f'"{value}" is not a real {error.validator_value}', fix or "fix the value")]
    if rule == "minLength":
        return [(path, "is empty", fix or "write some text")]
    if rule == "maxLength":
        return [(path, f"文字有 {len(value):,} 个字符，超过上限 {error.validator_value:,}",
                 "精简这段文字；很长的说明请写进章节正文，再从数据里链接过去")]
    if rule == "minItems":
        return [(path, f"needs at least {error.validator_value} entry", "add an entry")]
    if rule == "uniqueItems":
        return [(path, "lists the same value twice", "remove the repeated entry")]
    if rule in ("minimum", "maximum"):
        bound = "at least" if rule == "minimum" else "at most"
        return [(path, f"{value} is out of range", f"use a number {bound} {error.validator_value}")]
    if rule == "minProperties":
        names = ", ".join(sorted(error.schema.get("properties", {})))
        return [(path, "is empty", f"give at least one of: {names}")]
    return [(path, error.message, "see the schema in data/schemas/")]


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
