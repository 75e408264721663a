"""Numbers as readers see them: a value with its unit, and a metric's target band, as plain text."""

TIGHT_UNITS = ("%", "‰", "°", "℃")  # 中文文案排版指北: no space between a number and these


def number(value) -> str:
    """A number without a trailing .0, e.g. 3, 0.5, 1.2."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def quantity(value, unit: str | None = None) -> str:
    """A value with its unit, spaced the Chinese way: 3 名, 24 小时, 40%."""
    text = number(value)
    if not unit:
        return text
    return text + ("" if unit in TIGHT_UNITS else " ") + unit


def band_text(target: dict, unit: str) -> str:
    """A target band in words: 20～60 %, 不低于 40 %, 不高于 15 分钟."""
    if "min" in target and "max" in target:
        return f"{number(target['min'])}～{number(target['max'])} {unit}"
    if "min" in target:
        return f"不低于 {number(target['min'])} {unit}"
    return f"不高于 {number(target['max'])} {unit}"
