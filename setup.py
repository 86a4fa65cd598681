"""The one compiled part: the derivative RELAX NG engine's walk in C (optional).

Everything else is declared in pyproject.toml; this file exists because the C walk needs
lxml's headers, whose place only ``lxml.get_include()`` knows.  When lxml or a C compiler is
missing, the extension is left out and ``tei`` walks documents in Python.
"""

from setuptools import Extension, setup


def _lxml_include() -> list[str]:
    try:
        import lxml
    except ImportError:
        return []
    return list(lxml.get_include())


setup(
    ext_modules=[
        Extension(
            "tei.validate.rng.cwalk",
            sources=["tei/validate/rng/cwalk.c"],
            include_dirs=_lxml_include(),
            optional=True,
        )
    ]
)
