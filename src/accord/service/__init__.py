"""The mediated negotiation service (`accord serve`): a Django project.

A mediator hosts a confidential negotiation in the browser: the case's shared part (parties,
issues, the timeline, the drafts) is seen by every participant; each party's private
preferences, answers and caucus messages are seen by that party, by the mediators where the
rules say so, and by no one else. Who may see what is decided in one place,
:mod:`accord.service.cases.access`; private data is encrypted at rest
(:mod:`accord.service.crypto`); every action is recorded in a hash-chained audit log
(:mod:`accord.service.audit.chain`); every call into accord's analyses goes through
:mod:`accord.service.engine`.

Nothing here is imported by the rest of accord: the service is a view, like the CLI and the
report. Django is imported only when the service runs (``accord serve``), never at accord's
start-up.
"""
