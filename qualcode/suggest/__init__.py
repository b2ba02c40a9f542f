"""Code suggestions: keyword models that read Norwegian and English and learn from the coders.

The TUI and the command line use the same few entry points:

    from qualcode.suggest import Suggester
    suggester = Suggester(study, coder="ingrid")       # for one coder: her own codings alone
    suggester.for_transcript(transcript)               # [Suggestion(code, start, end, score, triggers)]
    suggester.for_span(transcript, start, end)         # ranked codes for a selection
    suggester.refresh()                                # after new codings or decisions

plus `not_yet_coded` (leaves out what the coder has already coded), `propose_keywords` /
`add_keywords` (new keywords for a code, written into its codebook) and
`evaluate` (k-fold precision and recall against a coder). See docs/suggestions.md.
"""

from qualcode.suggest.codebook_edit import add_keywords
from qualcode.suggest.evaluation import Evaluation, evaluate
from qualcode.suggest.model import Model
from qualcode.suggest.proposals import Proposal, Proposals, propose_keywords
from qualcode.suggest.suggester import Suggester
from qualcode.suggest.suggestion import Reason, Suggestion, Trigger, already_coded, not_yet_coded

__all__ = [
    "Evaluation",
    "Model",
    "Proposal",
    "Proposals",
    "Reason",
    "Suggester",
    "Suggestion",
    "Trigger",
    "add_keywords",
    "already_coded",
    "evaluate",
    "not_yet_coded",
    "propose_keywords",
]
