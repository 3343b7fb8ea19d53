"""How often the SMART check agrees with a careful reader on real key results (tests/data/smart_key_results.csv).

    python bench/smart_agreement.py            # both parts, given only the line and given the typed fields
    python bench/smart_agreement.py --misses   # also list every disagreement of the development part

Prints, per part (dev: used while the rules were tuned; held: set aside) and per mode (`line`: check_kr({"title":
line}); `typed`: the fields a lead would type, every other field read from the line), the exact agreement on S and
M, a confusion matrix (rows: the reader's verdict, columns: the check's), how many bad lines were judged good (a
reader's fail read as pass), how far a second reader, judging some lines blind, agrees with the first (the most
a check can be expected to reach), and how long reading takes per line. Pure: no database, no network.
"""

from __future__ import annotations

import argparse
import csv
import pathlib
import sys
import time
from collections import Counter
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from okrdash import smart
from okrdash.smart.reading import read_line

DATA = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "smart_key_results.csv"
SECOND = DATA.with_name("smart_second_reader.csv")  # a second reader's verdicts on some lines, made blind
LEVELS = ("pass", "warn", "fail")
MODES = ("line", "typed")


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa: agreement beyond what two raters with these verdict shares would reach by chance."""
    n = len(pairs)
    if not n:
        return 0.0
    observed = _share(pairs)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[level] * second[level] for level in LEVELS) / (n * n)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def two_readers(rows: list[dict[str, str]], second: list[dict[str, str]]) -> str:
    """How far two careful readers agree on the lines both judged, beside the check's agreement with each of them
    on the same lines: the readers' agreement is the most a check can be expected to reach, and the second reader,
    whom no rule was tuned to, is an independent judge of the check."""
    by_id = {r["id"]: r for r in rows}
    out = ["| part | lines | S: readers | S: check, first | S: check, second | M: readers | M: check, first | "
           "M: check, second |", "|---|---|---|---|---|---|---|---|"]
    for part in ("dev", "held", "both"):
        shared = [(by_id[s["id"]], s) for s in second if s["id"] in by_id and part in ("both", by_id[s["id"]]["part"])]
        first = [row for row, _ in shared]
        checked = judge(first, "line")
        cells = []
        for letter in ("S", "M"):
            readers = [(row[letter], s[letter]) for row, s in shared]
            check = [(row[letter], c[letter]) for row, c in zip(first, checked, strict=True)]
            independent = [(s[letter], c[letter]) for (_, s), c in zip(shared, checked, strict=True)]
            cells += [f"{_share(pairs):.1%} (κ {kappa(pairs):.2f})" for pairs in (readers, check, independent)]
        out.append(f"| {part} | {len(shared)} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def readers_agree(rows: list[dict[str, str]], second: list[dict[str, str]]) -> str:
    """The check on the lines both readers judge alike: its errors there are errors, not another reading."""
    by_id = {r["id"]: r for r in rows}
    out = ["| part | S: lines alike | S: check agrees | S: both fail, check passes | M: lines alike | "
           "M: check agrees | M: both fail, check passes |", "|---|---|---|---|---|---|---|"]
    for part in ("dev", "held"):
        shared = [(by_id[s["id"]], s) for s in second if s["id"] in by_id and by_id[s["id"]]["part"] == part]
        checked = judge([row for row, _ in shared], "line")
        cells = []
        for letter in ("S", "M"):
            alike = [(row[letter], c[letter]) for (row, s), c in zip(shared, checked, strict=True)
                     if row[letter] == s[letter]]
            failed = [check for verdict, check in alike if verdict == "fail"]
            cells += [str(len(alike)), f"{_share(alike):.1%}", f"{failed.count('pass')} of {len(failed)}"]
        out.append(f"| {part} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def _share(pairs: list[tuple[str, str]]) -> float:
    return sum(a == b for a, b in pairs) / max(len(pairs), 1)


def load(path: pathlib.Path = DATA) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def kr_for(row: dict[str, str], mode: str) -> dict[str, Any]:
    """What check_kr sees: only the line, or the line with the fields a lead would type."""
    if mode == "line":
        return {"title": row["line"]}
    return {"title": row["line"], "kind": row["kind"], "metric": row["metric"], "unit": row["unit"],
            "baseline": _number(row["baseline"]), "target": _number(row["target"]),
            "change_pct": _number(row["change_pct"])}


def judge(rows: list[dict[str, str]], mode: str) -> list[dict[str, str]]:
    """Each row's S and M as the check gives them."""
    out = []
    for row in rows:
        check = smart.check_kr(kr_for(row, mode))
        out.append({"S": check["S"].level, "M": check["M"].level, "S_why": check["S"].reason,
                    "M_why": check["M"].reason})
    return out


FIRST_SET = 279  # the last id of the set the first rules were tuned on; later lines test whether they generalise
# Each batch of lines as it joined: (first id, last id, where from). A batch's first measurement, before any rule
# changed for it, says how the rules carry over to sources they were not tuned on.
BATCHES = ((1, FIRST_SET, "the first set"), (FIRST_SET + 1, 381, "PostHog's team objectives"),
           (382, 426, "Wevolver, Squad, Taskcluster, Mozilla Reps 2019"), (427, 456, "Electron's working groups"),
           (457, 467, "MDN's key-result issues, a Microsoft docs template"),
           (468, 522, "JSON Schema, SciLifeLab, 30-seconds-web, LDSSA, GOV.UK Design System, the Inquirer"),
           (523, 579, "Open edX, Gitcoin, Chi Hack Night, FTW DAO, Ministry of Justice"),
           (580, 625, "CHAOSS, Oregon GIS council, MHCLG planning data, Cabin, Meilisearch, Stacks, Status"),
           (626, 677, "Nix@NGI, AsyncAPI, Tor sysadmins, Microsoft Healthcare, North Dakota IT, Open Collective"),
           (678, 726, "OpenSSF Alpha-Omega, Linux sysctl, CD Foundation TOC, Enarx"),
           (727, 784, "Gerrit, Koupleless, OpenStax, MetaMask, Carbon, LunarDAO"),
           (785, 837, "Hack Club, Wechaty, Springload, EightShapes"),
           (838, 887, "MayaData, Dream DAO, Hypha, Omise, HGAPS, amazee.io"),
           (888, 934, "DXOS, Monlam AI, Life Itself, Prosper Strategies"),
           (935, 979, "Princeton Public Library, Center for Digital Equity, Red Hat Research, College Park, "
                      "Kiwi.com Orbit, PipelineDeals"),
           (980, 1032, "2i2c, CNCF, Project Terraforma, QIRA"),
           (1033, 1063, "Syracuse, Minnesota DEED, Scottish Enterprise, Aavia"),
           (1064, 1143, "Mindee, Fleet, UK x-gov software community, TODO Group, OWASP, Foundation for Public Code, "
                        "Direct Action Everywhere, Code for DC"),
           (1144, 1178, "Flow's working groups, Protekt Protocol, UBC Launch Pad"),
           (1179, 1253, "Mozilla Participation, Simpler.Grants.gov, NEAR, Redgate, Gitcoin 2022, Dwarves "
                        "Foundation, Wikimedia Editing"),
           (1254, 1300, "Rocket.Chat, Celo Thailand DAO, Red Hat One Platform, PopcornDAO, CeLatam"),
           (1301, 1359, "county and library performance plans, Uniswap Foundation, Aragon, ActivitySim"),
           (1360, None, "CDC data modernisation, OpenJS CPC, Optimism Collective, WordPress teams, All Contributors"))


def scores(rows: list[dict[str, str]], mode: str) -> dict[str, Any]:
    """Agreement per letter (0–1), the confusion matrices and the share of bad lines judged good."""
    got = judge(rows, mode)
    result: dict[str, Any] = {"n": len(rows)}
    for letter in ("S", "M"):
        pairs = [(row[letter], mine[letter]) for row, mine in zip(rows, got, strict=True)]
        result[letter] = _share(pairs)
        result[f"{letter}_matrix"] = Counter(pairs)
        result[f"{letter}_fail_as_pass"] = sum(a == "fail" and b == "pass" for a, b in pairs) / max(len(pairs), 1)
    return result


def per_line_ms(rows: list[dict[str, str]], repeat: int = 20) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for row in rows:
            read_line(row["line"])
    return (time.perf_counter() - start) * 1000 / (repeat * max(len(rows), 1))


def _matrix(counter: Counter) -> list[str]:
    lines = ["| reader \\ check | pass | warn | fail |", "|---|---|---|---|"]
    for a in LEVELS:
        lines.append(f"| {a} | " + " | ".join(str(counter.get((a, b), 0)) for b in LEVELS) + " |")
    return lines


def report(rows: list[dict[str, str]]) -> str:
    out = ["| part | mode | lines | S agreement | M agreement | fail read as pass (S / M) |",
           "|---|---|---|---|---|---|"]
    matrices = []
    for part in ("dev", "held"):
        subset = [r for r in rows if r["part"] == part]
        for mode in MODES:
            found = scores(subset, mode)
            out.append(f"| {part} | {mode} | {found['n']} | {found['S']:.1%} | {found['M']:.1%} | "
                       f"{found['S_fail_as_pass']:.1%} / {found['M_fail_as_pass']:.1%} |")
            for letter in ("S", "M"):
                matrices += ["", f"{part}, {mode}, {letter}:", "", *_matrix(found[f"{letter}_matrix"])]
    out += ["", "By batch, as the lines joined, given only the line:", "",
            "| part | ids | from | lines | S agreement | M agreement | fail read as pass (S / M) |",
            "|---|---|---|---|---|---|---|"]
    for part in ("dev", "held"):
        for first, last, source in BATCHES:
            batch = [r for r in rows if r["part"] == part and first <= int(r["id"]) <= (last or int(r["id"]))]
            if not batch:  # a batch seen before its split is all dev, one appended unread all held
                continue
            found = scores(batch, "line")
            out.append(f"| {part} | {first}–{last or ''} | {source} | {found['n']} | {found['S']:.1%} | "
                       f"{found['M']:.1%} | {found['S_fail_as_pass']:.1%} / {found['M_fail_as_pass']:.1%} |")
    if SECOND.exists():
        out += ["", "Two careful readers, on the lines a second reader judged blind "
                "(tests/data/smart_second_reader.csv), and the check's agreement with each reader on the same "
                "lines, given only the line (no rule was tuned to the second reader):", "",
                two_readers(rows, load(SECOND)), "",
                "Where the two readers give a line the same verdict, the line's verdict is no judgement call: the "
                "check's agreement there, and how many lines both readers fail that the check passes:", "",
                readers_agree(rows, load(SECOND))]
    out += matrices
    out += ["", f"Reading one line takes {per_line_ms(rows):.3f} ms on average (pure Python, this machine)."]
    return "\n".join(out)


def misses(rows: list[dict[str, str]], mode: str) -> str:
    got = judge(rows, mode)
    lines = []
    for row, mine in zip(rows, got, strict=True):
        for letter in ("S", "M"):
            if row[letter] != mine[letter]:
                lines.append(f"{row['id']:>4} {letter} reader={row[letter]:<4} check={mine[letter]:<4} "
                             f"{row['line'][:90]!r} — {mine[letter + '_why'][:80]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the development part's disagreements")
    parser.add_argument("--mode", choices=MODES, default="line")
    args = parser.parse_args(argv)
    rows = load()
    print(report(rows))
    if args.misses:
        print("\n" + misses([r for r in rows if r["part"] == "dev"], args.mode))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
