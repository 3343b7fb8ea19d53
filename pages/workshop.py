"""Workshop, step 1 — strategic context: the opening slide. The quarter's strategy the objective should serve, last
quarter's result (objective, KR scores, deprioritized list) and how accurate its targets proved, and where the
ideas stand."""

import pandas as pd
import streamlit as st

from okrdash import context, fmt, strategy, ui

actor = ui.page("workshop")
st.title("Workshop")
team_id, quarter = ui.workshop.header(actor, "context")
sealed = ui.workshop.sealed(team_id, quarter)
slide = ui.cached(context.opening, actor, team_id, quarter, sealed=sealed)

st.header("1 · Strategic context")
st.caption("Open the workshop with this slide: the strategy this quarter's objective should serve, and what the "
           "team learnt last time. Then consolidate the ideas, rank them and choose one objective.")


def show_result(result: dict, heading: str) -> None:
    """A quarter's objective, its KRs with scores and what they teach, and its deprioritized list."""
    st.markdown(f"#### {heading}")
    objective = result["objective"]
    if not result["exists"] or objective is None:
        ui.empty_state(f"The team set no objective for {result['quarter']} in okrdash, so there is nothing to learn "
                       "from yet. This workshop starts the loop.")
        return
    state = "published" if objective["status"] == "published" else "a draft, never published"
    st.markdown(f"**{fmt.plain(objective['title'])}**")
    st.caption(f"Objective for {result['quarter']} ({state})"
               + (f" · serves {fmt.plain(objective['strategy_title'])}" if objective["strategy_title"] else ""))
    krs = result["key_results"]
    if result["score"] is not None:
        running = f" The quarter ends {fmt.day(result['ends_on'])}: this is where it stands today." \
            if result["running"] else ""
        st.metric("Objective score" + (" so far" if result["running"] else ""), f"{result['score']:.2f}",
                  help="The mean of its key results' scores, 0–1. Around 0.7 is a well-set stretch." + running)
    for kr in krs:
        unit = kr["unit"] or ""
        if kr["kind"] == "milestone":
            numbers = "Milestone: " + ("done" if kr["done"] else "not done yet")
        else:
            numbers = (f"Baseline {fmt.number(kr['baseline'], unit)} → target {fmt.number(kr['target'], unit)}; "
                       f"reached {fmt.number(kr['last_value'], unit)}")
        st.markdown(f"**{fmt.plain(kr['title'])}**")
        if kr["score"] is not None:
            st.progress(min(max(float(kr["score"]), 0.0), 1.0), text=f"{kr['score']:.2f} · {kr['verdict']}")
        st.caption(numbers)
    if krs:
        table = pd.DataFrame([{
            "Key result": kr["title"], "Kind": kr["kind"], "Baseline": kr["baseline"], "Target": kr["target"],
            "Unit": kr["unit"], "Reached": kr["last_value"], "Done": kr["done"], "Score": kr["score"],
            "What it tells us": kr["verdict"],
        } for kr in krs])
        ui.download_table(table, f"key-results-{result['quarter']}", key=f"workshop_krs_{result['quarter']}")
        tally = result["tally"]
        if tally:
            parts = [f"{tally[key]} {words.split(':')[0].lower()}" for _, key, words in context.VERDICTS
                     if tally.get(key)]
            st.caption("How the targets proved: " + ", ".join(parts) + ". Targets reached easily can aim higher "
                       "this time; far-off ones ask whether the target or the plan was wrong.")
    else:
        st.caption("No key results were published for it.")
    listed = result["deprioritized"]
    st.markdown(f"**Deprioritized in {result['quarter']}** ({len(listed)})")
    if not listed:
        st.caption("Nothing was written down as deprioritized.")
    for item in listed:
        st.markdown(f"- {fmt.plain(item['title'])}" + (f" — *{fmt.plain(item['reason'])}*" if item["reason"] else ""))


st.subheader(f"Strategy for {quarter}")
items = slide["strategy"]
if not items:
    ui.empty_state(f"There is no strategy for {quarter} yet. An admin writes it on the Strategy page; until then, "
                   "agree on the context together before choosing an objective.", next_page="pages/strategy.py",
                   next_label="Open Strategy")


def cards(kind: str) -> None:
    """The quarter's items of a kind side by side, each title with its Markdown body."""
    group = [i for i in items if i["kind"] == kind]
    if not group:
        return
    st.markdown(f"**{strategy.PLURAL[kind]}**")
    for row in range(0, len(group), 3):
        for column, item in zip(st.columns(3), group[row:row + 3], strict=False):
            with column.container(border=True, height="stretch"):
                st.markdown(f"**{fmt.plain(item['title'])}**")
                st.markdown(item["body"])  # Markdown by design, never raw HTML


for item in [i for i in items if i["kind"] == "mission"]:
    st.markdown(f"**Mission:** {fmt.plain(item['title'])}")
cards("company_objective")
cards("product_strategy")
rest = [i for i in items if i["kind"] in ("product_vision", "principle")]
if rest:
    with st.expander("Product vision and principles"):
        for item in rest:
            st.markdown(f"**{strategy.KINDS[item['kind']]}: {fmt.plain(item['title'])}**  \n{item['body']}")

st.subheader("What last time taught us")
last, completed = slide["last"], slide["completed"]
columns = st.columns(2, gap="large") if completed is not None else [st.container()]
with columns[0]:
    show_result(last, f"{last['quarter']}" + (" — still running" if last["running"] else ""))
if completed is not None:
    with columns[1]:
        show_result(completed, f"{completed['quarter']} — final scores")

st.divider()
st.subheader("Where the ideas stand")
survey = slide["survey"]
if survey is None:
    st.markdown(f"No survey was run for {quarter}. Ideas can still be added live on the next step.")
else:
    is_open = ui.workshop.survey(team_id, quarter)["open"]
    state = "open until " + fmt.day(survey["deadline"]) if is_open else "closed"
    anonymity = "anonymous" if survey["anonymous"] else "named"
    st.markdown(f"The {anonymity} survey is **{state}**: {survey['answered']} of {slide['members']} members "
                "answered.")
carried = f", {slide['carried']} carried over from last quarter's deprioritized list" if slide["carried"] else ""
st.markdown(f"**{slide['ideas']}** objective ideas are on the table{carried}.")
if slide["ideas"]:
    st.page_link("pages/workshop_consolidate.py", label="Next: consolidate the ideas", icon=":material/arrow_forward:")
else:
    ui.empty_state("No ideas yet. Open the team's survey (Survey setup), or add ideas live on the next step.",
                   next_page="pages/workshop_consolidate.py", next_label="Go to Consolidate ideas")
