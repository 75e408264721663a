"""Macros for 社群运营手册, loaded by mkdocs-macros-plugin (`module_name: macros`)."""


def define_env(env):
    """Register the handbook's macros; nothing else happens here."""
