"""Cases: the shared part of a negotiation, its people and their roles, and each party's
private data (preferences, answers to drafts, caucus messages), encrypted at rest."""
