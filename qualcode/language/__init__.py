"""Reading text: tokens and sentences (spaCy, blank pipelines), lemmas (simplemma), disk cache.

    from qualcode.language import TextPipeline
    pipeline = TextPipeline.for_study(study)
    analysis = pipeline.analyse_transcript(transcript)
    analysis.lemma_of_token(0)

Analyses are cached on disk per transcript text, so reopening a study reads arrays instead of
tokenising again. Nothing here needs a network or a model download.
"""

from qualcode.language.analysis import Analysis
from qualcode.language.lemmas import is_known, lemma
from qualcode.language.pipeline import SUPPORTED_LANGUAGES, TextPipeline, analyse_text, nlp_for

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Analysis",
    "TextPipeline",
    "analyse_text",
    "is_known",
    "lemma",
    "nlp_for",
]
