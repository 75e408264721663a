"""Numbers as readers see them: a value with its unit, and a metric's target band, as plain text."""

TIGHT_UNITS = ("%", "‰", "°", "℃")  # 中文文案排版指北: no space between a number and these


def number(value) -> str:
    """A number without a trailing .0, e.g. 3, 0.5, 1.2."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def unit_suffix(unit: str | None) -> str:
    """What follows a number for its unit, spaced the Chinese way: " 名", " 小时", "%"."""
    if not unit:
        return ""
    return unit if unit in TIGHT_UNITS else " " + unit


def quantity(value, unit: str | None = None) -> str:
    """A value with its unit: 3 名, 24 小时, 40%."""
    return number(value) + unit_suffix(unit)


def band_text(band: dict, unit: str) -> str:
    """A target band in words: 20%～60%, 3～15 分钟, 不低于 40%, 不高于 15 分钟."""
    if "min" in band and "max" in band:
        low = quantity(band["min"], unit) if unit in TIGHT_UNITS else number(band["min"])
        return f"{low}～{quantity(band['max'], unit)}"
    if "min" in band:
        return f"不低于 {quantity(band['min'], unit)}"
    return f"不高于 {quantity(band['max'], unit)}"
