"""Playbook front matter: version, status, owner, review dates and a changelog, newest first."""

from . import Kind, ref


def semver(text: str) -> tuple[int, ...]:
    """A version string such as 1.2.0 as a comparable tuple."""
    return tuple(int(part) for part in text.split("."))


def check(record, project) -> list:
    """The owner exists; the changelog is newest first and its newest entry is `version`."""
    meta = record.data
    problems = ref(record, ("owner",), meta["owner"], "roles", project)
    log = meta["changelog"]
    if log[0]["version"] != meta["version"]:
        problems.append(record.problem(
            ("changelog", 0, "version"),
            f'the newest changelog entry is {log[0]["version"]} but version is {meta["version"]}',
            "add a changelog entry for the new version at the top, or fix version"))
    for i in range(1, len(log)):
        newer, older = log[i - 1], log[i]
        if semver(older["version"]) >= semver(newer["version"]):
            problems.append(record.problem(
                ("changelog", i, "version"),
                f'changelog entry {older["version"]} is not older than {newer["version"]} above it',
                "list entries newest first, each with a lower version than the one above"))
        elif older["date"] > newer["date"]:
            problems.append(record.problem(
                ("changelog", i, "date"),
                f'changelog entry {older["version"]} is dated after {newer["version"]} above it',
                "fix the dates: a newer version cannot be older than the one before it"))
    return problems


KIND = Kind(name="playbooks", label="playbook", schema="playbook.schema.json", check=check)
