"""Dashboards: one function per chart or table, named after what it returns, each one query that filters by quarter
and scope and aggregates in SQL over the KR states okrdash.summaries keeps (okrdash/scores.py).

- `scope`: the team directory, the filters' options, who sees which teams;
- `organisation`: the organisation overview (status by team and department, participation, stale key results);
- `team`: one team's objective and key results, and one key result's detail;
- `over_time`: the weekly heatmap and quarter scores across quarters;
- `alignment`: the alignment map.

The scope and overview functions are importable from `okrdash.dashboards` itself.
"""

from okrdash.dashboards.organisation import (
    kr_status_counts_by_team,
    kr_status_share_by_department,
    overview,
    overview_totals,
    participation_by_team,
    stale_key_results,
)
from okrdash.dashboards.scope import (
    TEAM_DIRECTORY,
    filter_options,
    scope_filter,
    scope_team_ids,
    scoped,
    team_directory,
)

__all__ = ["TEAM_DIRECTORY", "filter_options", "kr_status_counts_by_team", "kr_status_share_by_department",
           "overview", "overview_totals", "participation_by_team", "scope_filter", "scope_team_ids", "scoped",
           "stale_key_results", "team_directory"]
