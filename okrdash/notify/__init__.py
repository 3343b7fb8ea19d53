"""Notifications: what okrdash sends, to whom, over which channel, once per period (DESIGN.md §2, issue 12).

- `kinds`     the six kinds of message, their periods and defaults
- `due`       what is due now (surveys, voting, publications), read from the domain modules; `digest` adds the
              weekly check-in reminder and the managers' digest
- `render`    subject, plain text, HTML and chat payload of each message (user text escaped for each)
- `prefs`     each person's choices, one-click unsubscribe (`tokens`: signed links) and each team's chat webhook
- `mail`, `chat`  the channels: SMTP (STARTTLS or TLS) and Slack-compatible incoming webhooks, with retries
- `sentlog`   the sent log that makes `remind` idempotent and crash-safe
- `remind`    `python -m okrdash remind`: due → preferences → claim → send → mark, and the Admin preview
- `ics`       calendar files (RFC 5545): the workshop, the survey deadline, a weekly check-in reminder
- `schema`    the tables (migrations m020, m021)

Nothing is imported here: migrations import `schema` while the database opens.
"""
