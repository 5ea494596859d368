"""Co-confirm (共同认定): comment rounds, anchored comments, triage, dispositions, the adoption
ledger, handling reports and the joint signature (会签). Qt-free; shared by client and server.

Everything a round decides is an immutable event (`events.Event`); the state of the review and
its ledger are pure functions of the set of events (`state.fold`), so events delivered out of
order or twice give the same answer.
"""
