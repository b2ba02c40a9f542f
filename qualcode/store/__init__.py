"""Each coder's codings, memos and undo history, one SQLite file per coder."""

from qualcode.store.anchoring import Anchor, anchor, anchor_all
from qualcode.store.coder_store import CoderStore, Coding, Feedback, Memo

__all__ = ["Anchor", "CoderStore", "Coding", "Feedback", "Memo", "anchor", "anchor_all"]
