"""bench/run.py rewrites its own sections of bench/results.md and leaves the notes around them in place."""

from bench.run import LIVE_HEADING, with_section

RESULTS = """# Benchmark results

The main table.

## Pages

| page |

## Live pages

old live figures

## Reading the page rows
- a note written by hand
"""


def test_the_live_section_is_replaced_where_it_stands():
    updated = with_section(RESULTS, LIVE_HEADING, "new live figures\n")
    assert updated == RESULTS.replace("old live figures", "new live figures")


def test_a_missing_section_is_added_at_the_end():
    text = RESULTS.replace("## Live pages\n\nold live figures\n\n", "")
    updated = with_section(text, LIVE_HEADING, "new live figures")
    assert updated.startswith(text.rstrip())
    assert updated.endswith("## Live pages\n\nnew live figures\n")
