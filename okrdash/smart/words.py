"""Word lists the line reader uses to read a key result as a person does. Pure data, kept apart from the reader's
logic so each list can be read (and argued with) on its own.

The lists came from reading real published key results (tests/data/smart_key_results.csv): the verbs people use
when a line is done or not done (“Publish …”, “Hire …”), the verbs of a step that still needs thinking (“Map …”,
“Define …”), the verbs that name no result at all (“Consider …”), and the nouns that can be counted.
"""

from __future__ import annotations

# A number of something that goes up: "Increase trials to 500", "Grow subscribers by 20%".
UP_VERBS = (
    "increase", "increased", "increases", "raise", "raised", "grow", "grows", "grew", "grown", "boost", "double",
    "triple", "expand", "gain", "lift", "rise", "rises", "improve", "improved", "accelerate", "maximize", "maximise",
)
DOWN_VERBS = (
    "reduce", "reduced", "reduces", "reducing", "decrease", "decreased", "decreases", "cut", "cuts", "lower",
    "lowered", "halve", "halved", "shrink", "drop", "drops", "fall", "falls", "fell", "minimize", "minimise",
    "eliminate", "shorten", "speed up", "bring down",
)
# Verbs of a line that is its own definition of done: when the thing exists, the result is met.
DELIVERY_VERBS = (
    "publish", "launch", "fundraise", "release", "ship", "deploy", "deliver", "hire", "migrate", "close", "sign", "add",
    "implement", "set up", "setup", "onboard", "deprecate", "fix", "create", "write", "draft", "run", "complete",
    "test", "do", "install", "integrate", "open", "build", "finish", "remove", "automate", "move", "introduce",
    "start", "establish", "host", "organize", "organise", "hold", "convert", "replace", "rewrite", "port",
    "translate", "upgrade", "retire", "sunset", "roll out", "announce", "secure", "get", "win", "recruit",
    "conduct", "hit", "reach", "achieve", "attain", "obtain", "raise", "collect", "record", "train", "certify",
    "feature", "speak", "present", "amplify", "celebrate", "tackle", "resolve", "bring", "have",
    "make", "offer", "ensure", "support", "attract", "include", "enable", "document", "finalize", "finalise",
    # Done when sent or voted: "Submit financial reports to …", "Issue the annual report", "Ratify the budget".
    "issue", "submit", "send", "file", "ratify",
    # Done when the thing says the new: "Update our employee handbook to reflect our new values".
    "update",
    # A change to code that is merged or not: "Refactor the macro implementation", "Upstream the solution"; a
    # feature that users can try: "Allow filtering the list of files", "Highlight owned files in the change view".
    "refactor", "upstream", "allow", "highlight", "dogfood",
    "show", "render", "display", "roll up", "detect", "patch", "mitigate", "expose", "embed",
)
# The delivery verbs whose object is done or not at the quarter's end ("start", "hold", "publish"), without the
# loose ones ("have", "make", "ensure" …).
FIRM_DELIVERY_VERBS = tuple(v for v in DELIVERY_VERBS if v not in (
    "have", "get", "make", "do", "ensure", "support", "include", "enable", "feature", "bring", "attract", "offer"))
# Past participles that say a deliverable is done: "Network site launched by Q2", "Roadmap accepted by leadership".
DONE_PARTICIPLES = (
    "launched", "delivered", "published", "released", "shipped", "deployed", "created", "accepted", "signed",
    "completed", "implemented", "approved", "adopted", "merged", "migrated", "hired", "added", "opened", "closed",
    "built", "written", "drafted", "installed", "integrated", "developed", "tested", "announced", "live",
    "onboarded", "on-boarded", "recruited", "started", "in production", "ready",
    # An agreement or sign-off by named people is a definition of done as much as an approval is; "finished" and
    # "produced" say what "completed" and "created" say; "open for/to …" says a track or service is live.
    "agreed", "finished", "produced", "open for", "open to",
    # A service that is switched on or off is as checkable as one launched: "Zendesk is stopped", "Knowledge base
    # is available via MCP".
    "available", "stopped", "deprecated", "removed", "switched off", "turned off", "shut down",
    "decommissioned",
    # Records kept: "The location of the data is documented in the wiki", "Data from batch 4 is backed up".
    "documented", "backed up", "archived", "deleted",
    # Systems moved on: "all machines are upgraded to bullseye", "SVN is retired".
    "upgraded", "retired", "patched", "replaced", "finalized", "finalised",
    # A service "up and running" is live ("is up" alone is also said of morale and costs).
    "up and running",
    # Work on a place or a thing finished: "Gite renovated", "Barn cleared", "Bug #12 fixed".
    "renovated", "refurbished", "repaired", "cleared", "fixed", "resolved",
    # A test or an audit is passed or not: "SOC 2 audit passed".
    "passed",
)
# A step that still needs thinking: the line names a topic, but when it is done is loose.
THINKING_VERBS = (
    "map", "define", "decide", "analyse", "analyze", "research", "explore", "evaluate", "assess", "investigate",
    "understand", "plan", "prepare", "articulate", "agree", "discuss", "review", "find", "study", "track", "meet",
    "measure", "scope", "design", "outline", "brainstorm", "figure out", "determine", "clarify", "identify",
    "socialize", "socialise", "gather", "develop", "resolve",
)
# Verbs in the present tense that say what a named thing does once it is done: "Docs explain Business Knowledge",
# "Business Knowledge leaves beta", "The AI bot performs the first investigation". Each can be tried out at the end
# of the quarter, as a feature shipped can (but "users feel …" or "it helps …" cannot: those are not here).
DOING_VERBS = (
    "explain", "explains", "show", "shows", "leave", "leaves", "perform", "performs", "use", "uses", "sync", "syncs",
    "send", "sends", "include", "includes", "handle", "handles", "flow", "flows", "answer", "answers", "list",
    "lists", "store", "stores", "accept", "accepts", "display", "displays", "run", "runs", "depend", "depends",
    "rely", "relies", "require", "requires",
    "delivers", "provides", "produces", "publishes",  # "The FHIR pilot delivers production data to a state lab"
    "pass", "passes", "comply", "complies",  # "All services pass the security review": a test each one passes
)
# Nouns of a deliverable: "Beta release of Automatic Chess", "Migration of the billing jobs" name what will exist
# as plainly as "Release …" and "Migrate …" do.
DELIVERY_NOUNS = ("release", "launch", "rollout", "roll-out", "migration", "deployment", "publication",
                  "implementation", "delivery", "integration", "creation", "completion", "establishment",
                  "installation", "introduction",
                  # documents whose kind says when they exist: "Inventory of all …", "A Standard of Process for …"
                  "inventory", "standard", "sop", "policy", "specification", "catalog", "catalogue", "proposal")
# Words that say which way a measure should move: with no number, a line that has one names no finish line.
DIRECTION_WORDS = ("more", "less", "fewer", "increases", "decreases", "grows", "growth", "higher", "lower",
                   "dramatically")
# Verbs that name no result: nobody can tell when they are done.
NO_RESULT_VERBS = ("consider", "look into", "think about", "try", "keep", "continue", "work on", "focus on",
                   "learn")  # learning is an input to a result, not one: what will exist once it is learnt?
# Verbs of knowing and feeling: "people can understand …" names no capability anyone can try out.
KNOWING_VERBS = ("understand", "know", "feel", "learn", "see", "look", "be", "believe", "trust")
# Feelings: "Technical writing teams are jealous we built this first" says how people feel, which nobody can check
# off at the end of the quarter (whatever it says was built).
FEELING_WORDS = ("jealous", "envious", "happy", "proud", "excited", "delighted", "thrilled", "impressed",
                 "confident", "comfortable", "satisfied", "in love", "love", "loves")
# Verbs after "and" that only say how a result is measured or shared, so they are not a second result.
FOLLOW_UP_VERBS = (
    "report", "say", "tell", "rate", "socialize", "socialise", "share", "communicate", "present", "promote",
    "document", "gather", "collect", "retain", "maintain", "measure", "decide", "record",
)
# Clause starters after "and" that begin a second result ("… and schedule at least one").
CLAUSE_VERBS = tuple(sorted(set(UP_VERBS + DOWN_VERBS + DELIVERY_VERBS + THINKING_VERBS + (
    "react", "solve", "fix", "schedule", "invite", "reach", "move", "keep", "maintain",
    "verify", "validate", "detect", "reflect",  # "Detect … and verify device enrollment": a second thing to do
    "clean", "clean-up", "cleanup",  # "Publish the architecture document and clean-up the repositories"
    "consider", "continue", "try",  # "Come up with a testing plan, and consider setting up a build server"
)) - set(FOLLOW_UP_VERBS) - {"have", "make", "get", "bring", "do", "design", "feature", "map"}))
# Words that make a clause finite ("the review is a two hour job", "events increased"), so "and <clause>" is a
# second result rather than a second noun.
FINITE = ("is", "are", "was", "were", "will", "increased", "decreased", "grew", "fell", "rose", "dropped", "goes")
# Nouns that are counted or measured: a line with one of these and no number still names its measure.
MEASURE_NOUNS = (
    "speed", "time", "latency", "churn", "followers", "subscribers", "users", "rate", "count", "number", "share",
    "revenue", "cost", "costs", "usage", "adoption", "conversion", "retention", "uptime", "errors", "bugs", "nps",
    "csat", "score", "throughput", "usability", "interoperability", "applicants", "arr", "mrr", "sales", "signups",
    "sign-ups", "downloads", "visits", "views", "traffic", "installs", "customers", "accounts", "tickets",
    "response", "duration", "availability", "coverage", "satisfaction", "engagement", "contributors", "members",
    "trials", "leads", "pipeline value", "margin", "spend", "budget",
    # the named measures of the trade, as people write them: "Reduce MTTR", "Grow DAU", "Lower CAC"
    "mttr", "mttd", "mtbf", "arpu", "arpa", "cac", "ltv", "dau", "wau", "mau", "nrr", "grr", "gmv", "aov", "ctr",
    "cpa", "cpc", "roas", "sla", "slo", "p50", "p95", "p99", "enps",
)
# Adjectives a person cannot check: "a healthy design system", "a quick process", "a distinct UX".
JUDGEMENT_WORDS = (
    "healthy", "quick", "distinct", "better", "great", "good", "world-class", "best-in-class", "seamless",
    "effective", "efficient", "easy", "easily", "robust", "strong", "polished", "aggressively",
    "relevant", "traction", "evenly", "no longer", "improved", "systematized", "evolved", "meaningful",
    "easier", "clear",  # "a clear plan", "a clear purpose": clear to whom?
    "consistent",  # "materials consistent across departments": judged by whom?
    "high-profile",  # "Document high-profile features": which ones count?
    "without being",  # "can use the docs without being misled": misled how often, judged by whom?
    # "Improvements … delivered in all areas", "Enhanced group management … delivered": which ones count as done?
    "improvements", "enhancements", "enhanced",
    # "Deliver dashboard with actionable metrics", "Deliver out-of-the-box dashboards": which ones, judged by whom?
    "actionable", "out-of-the-box",
    # "Make the API faster": faster than what, by how much? (with a number, "30% faster" states the change)
    "faster", "quicker", "simpler", "cheaper", "smoother", "safer", "more reliable", "more stable",
    "the best", "best in",  # "Make our docs the best in the industry": judged by whom?
)
_NOT_AN_ADJECTIVE = r"(?!(?:about|at|by|for|from|in|on|to|with|and|or|is|are)\b)"
_CAPITAL_X = r"(?<![\w./-])(?<!\d )X(?=\s+(?:" + _NOT_AN_ADJECTIVE + r"[a-z]+\s+)?[a-z]+s\b)"
# Words that stand for a number nobody wrote yet.
# A lone "x" where the count goes ("Deliver x user driven improvements", "Remove x hours of …") is one too.
# So is a capital X before a plural noun ("Held X calls", "X paid internships"), but not the platform ("Grow
# followers on X by 20%", "Post on X about releases").
PLACEHOLDERS = (r"\bX\s*%", r"\bX\s*#", r"#X\b", r"\bN\s*%", r"\bTBD\b", r"\bTBC\b", r"\?\?+", r"\bXX+\b",
                r"(?<![\w./-])x(?=\s+[a-z])", _CAPITAL_X,
                r"(?<!\w)_{2,}")  # "by __x": a blank to fill
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
    "a dozen": 12, "a single": 1, "once": 1, "twice": 2, "zero": 0,
}
# Time units, with how a reading names them.
UNITS = {
    "%": "%", "percent": "%", "pp": "pp", "percentage points": "pp", "ms": "ms", "millisecond": "ms",
    "milliseconds": "ms", "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s", "min": "min",
    "mins": "min", "minute": "min", "minutes": "min", "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months", "months": "months",
}
