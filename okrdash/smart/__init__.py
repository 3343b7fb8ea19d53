"""The SMART check of key results and objectives, and the reading of a one-line key result.

Pure (no database, no Streamlit): `check_kr(kr, context)` gives each letter pass/warn/fail with the reason and the
fix; `read_line(text)` reads one line of key-result text into kind, metric, baseline, target, unit and deadline, and
`check_kr` uses that reading for every field left empty. `okrdash.smart.team_report` (not imported here: it reads
the database) is the SMART state of a team's key results for the editor, the publish gate and the workshop.

Modules: `verdicts` (shapes and thresholds), `text` (vague verbs, numbers in titles), `reading` (the line reader),
`rules` (S, R, T and check_kr), `measurable` (M), `achievable` (A), `objective` (the objective's own check).
"""

from okrdash.smart.achievable import achievable
from okrdash.smart.measurable import measurable
from okrdash.smart.objective import OBJECTIVE_CHECKS, check_objective
from okrdash.smart.reading import Reading, parse_kr_text, read_line
from okrdash.smart.rules import check_kr, relevant, specific, summarize, time_bound
from okrdash.smart.text import exact, show
from okrdash.smart.verdicts import (
    FAIL,
    KIND_LABELS,
    LETTERS,
    NUMERIC_KINDS,
    PASS,
    RELATIVE_KINDS,
    WARN,
    Check,
    Context,
    Findings,
    Verdict,
)

__all__ = [
    "FAIL", "KIND_LABELS", "LETTERS", "NUMERIC_KINDS", "OBJECTIVE_CHECKS", "PASS", "RELATIVE_KINDS", "WARN",
    "Check", "Context", "Findings", "Reading", "Verdict", "achievable", "check_kr", "check_objective", "exact",
    "measurable", "parse_kr_text", "read_line", "relevant", "show", "specific", "summarize", "time_bound",
]
