"""The operator commands of `python -m okrdash` (okrdash.cli): each parses, calls one library function, reports."""

from __future__ import annotations
