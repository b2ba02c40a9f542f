"""The study folder: settings, codebooks, transcripts, informants, importing and checking."""

from qualcode.study.codebook import Code, Codebook, Keyword
from qualcode.study.config import StudyConfig
from qualcode.study.problems import Problem
from qualcode.study.study import CONSENSUS, Study
from qualcode.study.transcript import Informant, Segment, Transcript, Turn

__all__ = [
    "CONSENSUS",
    "Code",
    "Codebook",
    "Informant",
    "Keyword",
    "Problem",
    "Segment",
    "Study",
    "StudyConfig",
    "Transcript",
    "Turn",
]
