"""`python -m macros init`: make the handbook a team's own by filling in handbook.yml.

It asks one question at a time (the current value is the default), or takes flags; every answer is
checked by the same machinery as `make check` before anything is written; the file keeps its
comments (ruamel.yaml round-trip); then the data is checked and the next steps are printed."""

import io
import sys
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML, YAMLError

from . import identity
from .loader import load
from .problems import report
from .schemacheck import where


@dataclass(frozen=True)
class Question:
    """One answer init can change: its flag, where it lives in handbook.yml, and how it is asked."""

    flag: str
    at: tuple
    prompt: str


QUESTIONS = (
    Question("name", ("name",), "手册名称"),
    Question("org", ("org",), "团队或组织名称"),
    Question("repo", ("repo", "url"), "代码仓库的网址（GitHub、Gitee 或 GitLab）"),
    Question("branch", ("repo", "branch"), "默认分支"),
    Question("site_url", ("site_url",), "手册发布后的网址"),
    Question("community", ("community", "name"), "你们的社群名称"),
)


class Refused(Exception):
    """Input that init will not write; the message says what is wrong and how to fix it."""


def round_trip() -> YAML:
    """A YAML reader and writer that keeps comments, quotes and key order."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def value_at(data, at: tuple):
    """The value at a path in the loaded file; Refused if the file lacks it."""
    try:
        for key in at:
            data = data[key]
    except (KeyError, TypeError):
        raise Refused(f"{identity.FILE} 里没有 {where(at)} — 从上游仓库复制一份完整的 "
                      f"{identity.FILE}，再运行 make init") from None
    return data


def set_at(data, at: tuple, value: str) -> None:
    """Set the value at a path in the loaded file, keeping the comments around it."""
    value_at(data, at[:-1])[at[-1]] = value


def normalized(question: Question, answer: str) -> str:
    """An answer as it is written: trimmed; a repository without `.git` or a trailing slash;
    a published address ending in /."""
    answer = answer.strip()
    if question.flag == "repo" and answer:
        return identity.repo_base(answer)
    if question.flag == "site_url" and answer and not answer.endswith("/"):
        return answer + "/"
    return answer


def dumped(yaml: YAML, data) -> bytes:
    """The file's text for `data`."""
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")


def problems_with(question: Question, answer: str, yaml: YAML, data, schema_dir: Path) -> list[str]:
    """What is wrong with one answer, checked by the same schema and rules as `make check`."""
    if not answer:
        return ["不能为空 — 请填写内容"]
    trial = yaml.load(dumped(yaml, data))
    set_at(trial, question.at, answer)
    prefix = where(question.at) + ": "
    return [f"{p.what.removeprefix(prefix)} — {p.fix}"
            for p in identity.check_bytes(dumped(yaml, trial), schema_dir)[1]
            if p.what.startswith(prefix)]


def from_flags(flags: dict[str, str | None], yaml: YAML, data, schema_dir: Path) -> dict:
    """The answers given as flags, each checked; Refused lists every bad one."""
    answers, errors = {}, []
    for question in QUESTIONS:
        given = flags.get(question.flag)
        if given is None:
            continue
        answer = normalized(question, given)
        flag = "--" + question.flag.replace("_", "-")
        errors += [f"{flag}：{message}"
                   for message in problems_with(question, answer, yaml, data, schema_dir)]
        answers[question] = answer
    if errors:
        raise Refused("\n".join(errors))
    return answers


def ask(question: Question, current: str, stdin, stdout) -> str | None:
    """One prompt line; None when input has ended."""
    stdout.write(f"{question.prompt} [{current}]：" if current else f"{question.prompt}：")
    stdout.flush()
    line = stdin.readline()
    return None if not line else line.rstrip("\n")


def ask_host(stdin, stdout) -> str:
    """Which host a self-hosted repository is on, asked until the answer is one of the three."""
    while True:
        stdout.write("从网址看不出是哪个平台。代码托管平台（github、gitee 或 gitlab）：")
        stdout.flush()
        line = stdin.readline()
        if not line:
            raise Refused("输入在回答完所有问题之前结束了 — 重新运行 make init，逐项回答")
        if line.strip().lower() in identity.SCHEMES:
            return line.strip().lower()
        stdout.write("  请写 github、gitee 或 gitlab 中的一个\n")


def from_prompts(yaml: YAML, data, schema_dir: Path, stdin, stdout) -> dict:
    """Ask each question in turn; Enter keeps the current value, a bad answer is asked again."""
    answers = {}
    for question in QUESTIONS:
        current = str(value_at(data, question.at))
        while True:
            line = ask(question, current, stdin, stdout)
            if line is None:
                raise Refused("输入在回答完所有问题之前结束了 — "
                              "重新运行 make init，逐项回答，直接回车表示保留当前值")
            answer = normalized(question, line)
            if not answer:  # Enter keeps the current value
                answer = current
                break
            errors = problems_with(question, answer, yaml, data, schema_dir)
            if question.flag == "repo" and errors == [" — ".join(identity.host_problem(answer))]:
                value_at(data, ("repo",))["host"] = ask_host(stdin, stdout)
                errors = []
            if not errors:
                break
            stdout.write("".join(f"  {message}\n" for message in errors))
        answers[question] = answer
        set_at(data, question.at, answer)
    return answers


def next_steps(ident: dict) -> str:
    """The three things to do after init: push, turn on publishing, read the adoption guide."""
    site = ident["site_url"]
    if identity.host_of(ident["repo"]) == "github":
        publish = (f"在 GitHub 仓库的 Settings → Pages 里选择 gh-pages 分支；之后每次推送，"
                   f".github/workflows/deploy.yml 会构建站点并发布到 {site}")
    else:
        publish = f"把 make build 生成的 site/ 目录发布到 {site}（用平台自带的 Pages 服务或你们自己的服务器）"
    return "\n".join([
        "接下来三步：",
        "  1. 推送：git add handbook.yml && git commit -m \"把手册改成我们团队的\" && git push",
        f"  2. 打开发布：{publish}",
        f"  3. 先读：{site}adopt/ （把手册变成你们团队的），它讲了还能改什么、"
        "怎么换掉示例社群、以后怎么合并上游的改进",
    ])


def init(root: Path, flags: dict[str, str | None], stdin=sys.stdin, stdout=sys.stdout) -> int:
    """Fill in handbook.yml from flags or prompts; nothing is written unless every answer is valid."""
    path = root / identity.FILE
    schema_dir = root / "data/schemas"
    if not path.is_file():
        print(f"找不到 {identity.FILE} — 从上游仓库复制一份到 {root}，再运行 make init", file=sys.stderr)
        return 1
    yaml = round_trip()
    original = path.read_bytes()
    try:
        data = yaml.load(original)
    except YAMLError:  # our own reader names the line and the fix
        print(report(identity.check_bytes(original, schema_dir)[1]), file=sys.stderr)
        print(f"先修好 {identity.FILE} 的写法，再运行 make init。没有写入任何内容。", file=sys.stderr)
        return 1
    try:
        if any(value is not None for value in flags.values()):
            answers = from_flags(flags, yaml, data, schema_dir)
        else:
            answers = from_prompts(yaml, data, schema_dir, stdin, stdout)
        for question, answer in answers.items():
            set_at(data, question.at, answer)
        text = dumped(yaml, data)
        handbook, problems = identity.check_bytes(text, schema_dir)
        if problems:
            raise Refused(report(problems))
    except Refused as refused:
        print(f"{refused}\n没有写入任何内容。", file=sys.stderr)
        return 1
    if text != original:
        path.write_bytes(text)
        print(f"已更新 {identity.FILE}。", file=stdout)
    else:
        print(f"{identity.FILE} 没有变化。", file=stdout)
    project = load(root)
    if project.problems:
        print(report(project.problems), file=sys.stderr)
        print("手册身份已写入，但数据检查发现了上面的问题，请先修好它们。", file=sys.stderr)
        return 1
    print("数据检查通过。", file=stdout)
    print(next_steps(handbook.data), file=stdout)
    return 0

