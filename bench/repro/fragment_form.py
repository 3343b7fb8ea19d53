"""Reproduce a Streamlit 1.67 race: under load, a form right below a ticking fragment at the top level of the page
vanishes until the next full run, so it cannot be clicked. It may explain issue 14's lost clicks; no okrdash page has
shown it yet (okrdash's live fragments tick every 2 s; this page's every 0.15 s).

    python bench/repro/fragment_form.py --trials 5 --layouts before,quiet,boxed,after,slot,sidebar

Each trial serves bench/repro/fragment_form_page.py with `streamlit run`, keeps one other process busy on a core (as
a second test worker does on two cores), and clicks the form's "Add" 60 times in Chromium, each time waiting up to
4 s for the count to move. A trial ends "vanished" when the button is not on the page for 10 s (a screenshot is
kept in test-results/screenshots/); otherwise it reports the clicks whose count did not move in time. A click
counted late also counts every later click as lost, so that figure is only a hint.

Measured 2026-12-03 on this machine: the form vanished in 4 of 5 trials with the fragment right before it
(`before`), in none of 5 with the fragment in a bordered container (`boxed`, as okrdash's live bar is), after the
count (`after`) or drawn into a container above the form but called last (`slot`). A second run: 3 of 4 `before`,
3 of 4 with a fragment that draws nothing (`quiet`), none of 4 with the fragment at the sidebar's end (`sidebar`,
where okrdash's Home and Survey setup now put theirs: okrdash/ui/live/ticks.py `watch`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.live import CHROMIUM_ARGS, Server

PAGE = Path(__file__).with_name("fragment_form_page.py")
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def trial(layout: str, clicks: int) -> str:
    """One trial of `clicks` clicks on a fresh server: "vanished" or "ok, N of M clicks lost"."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    server = Server(PAGE, Path(os.devnull), REPRO_LAYOUT=layout)
    lost = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url)
            page.wait_for_selector("text=Added: ", timeout=60_000)
            for n in range(1, clicks + 1):
                try:
                    page.get_by_role("button", name="Add").click(timeout=10_000)
                except PlaywrightTimeoutError:  # the form is gone
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SHOTS / f"repro-{layout}.png"), full_page=True)
                    return "vanished"
                try:
                    page.wait_for_selector(f"strong:text-is('{n - lost}')", timeout=4_000)
                except PlaywrightTimeoutError:
                    lost += 1
                page.wait_for_timeout(37 * (n % 7))  # clicks at varied moments of the tick
            browser.close()
    finally:
        server.stop()
    return f"ok, {lost} of {clicks} clicks lost"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--clicks", type=int, default=60)
    parser.add_argument("--layouts", default="before,after", help="of before, quiet, boxed, after, slot, sidebar")
    args = parser.parse_args()
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        for n in range(args.trials):
            for layout in args.layouts.split(","):
                print(f"{layout} trial {n + 1}: {trial(layout, args.clicks)}", flush=True)
    finally:
        busy.kill()


if __name__ == "__main__":
    main()
