"""The review's notes and its undo of decisions live in `qualcode.agreement.review_notes`, where
the command line uses them too; the names the app's session takes are given here as well."""

from qualcode.agreement.review_notes import DecisionHistory, DecisionStep

__all__ = ["DecisionHistory", "DecisionStep"]
