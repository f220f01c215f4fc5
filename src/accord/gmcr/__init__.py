"""The Graph Model for Conflict Resolution (GMCR): stability of the states of a conflict."""
