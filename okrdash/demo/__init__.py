"""Demo data: `python -m okrdash.demo` (also run on first start when the database is empty)."""

from okrdash.demo.generate import generate

__all__ = ["generate"]
