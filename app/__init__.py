"""CoPlan: joint spatial planning for metropolitan areas."""

# The one version source: pyproject.toml reads it ([tool.setuptools.dynamic]), `coplan --version`
# prints it, and it names CHANGELOG.md's latest released section (tests/test_cli_hygiene.py).
__version__ = "0.1.0"
