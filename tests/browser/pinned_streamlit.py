"""`streamlit …` with the wall clock pinned to OKRDASH_TEST_NOW (ISO), ticking on from there: a journey's server
lives on the same day as the suite and its demo data, whatever the calendar says."""

import datetime as dt
import os
import sys

import time_machine
from streamlit.web.cli import main

if __name__ == "__main__":
    time_machine.travel(dt.datetime.fromisoformat(os.environ["OKRDASH_TEST_NOW"]), tick=True).start()
    sys.exit(main(prog_name="streamlit"))
