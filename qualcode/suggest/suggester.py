"""The suggestion engine the TUI and the command line share.

    suggester = Suggester(study)                      # learns from the study's codings
    for s in suggester.for_transcript(transcript):    # one list per transcript, by passage
        print(s.code, s.start, s.end, s.score, s.triggers)
    suggester.for_span(transcript, 120, 480)          # ranked codes for a selected passage
    suggester.for_text("Vi får aldri tak i veilederen")
    suggester.refresh()                               # after new codings or decisions

Whose codings and decisions it learns from (see training.resolve_sources):

    Suggester(study, coder="ingrid")                       # for ingrid: her own alone
    Suggester(study, coder="ingrid", with_consensus=True)  # ... and the consensus layer's
    Suggester(study, learn_from=["ingrid", "jonas"])        # these coders, on an equal footing
    Suggester(study, learn_from=[])                         # the codebook's keywords alone
    Suggester(study)                                        # every coder, the consensus leading

Name the coder whenever suggestions are shown to one: a coder coding blind must not be shown
what the others coded.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence

import numpy as np

from qualcode.language import TextPipeline, analyse_text
from qualcode.language.cache import ArrayCache, is_shared
from qualcode.language.pipeline import normalise_language, warm_up_language
from qualcode.study.transcript import SEGMENT_UNITS, Transcript
from qualcode.suggest.explaining import Explainer
from qualcode.suggest.features import (
    FEATURES_FORMAT,
    SegmentFeatures,
    TextFeatures,
    Vocabulary,
    segment_features,
    stop_words,
)
from qualcode.suggest.matching import KeywordIndex, keyword_index
from qualcode.suggest.model import Model, codebook_model, telling
from qualcode.suggest.suggestion import Suggestion

DEFAULT_UNIT = "paragraph"
DEFAULT_MIN_SCORE = 0.35
DEFAULT_TOP = 3


class Suggester:
    """Keyword models for every code of a study, learning from its coders.

    Making a Suggester prepares everything its calls need: the spaCy pipeline and simplemma
    dictionary of the study's language, the codebook's keywords, every transcript (read from the
    disk cache when it is there, else analysed and cached) and the model (learned now, when
    there is something to learn from). After that, `for_span` and `for_text` only score.
    `prepare=False` leaves all of this to the first call that needs it.
    """

    def __init__(
        self,
        study,  # qualcode.study.Study
        learn_from: Sequence[str] | None = None,
        *,
        coder: str | None = None,
        with_consensus: bool = False,
        unit: str = DEFAULT_UNIT,
        min_score: float = DEFAULT_MIN_SCORE,
        top: int = DEFAULT_TOP,
        pipeline: TextPipeline | None = None,
        prepare: bool = True,
    ) -> None:
        from qualcode.errors import UsageError

        if unit not in SEGMENT_UNITS:
            raise UsageError(f"Unknown unit `{unit}`.", hint="Use turn, paragraph or sentence.")
        self.study = study
        self.unit = unit
        self.min_score = min_score
        self.top = top
        if coder is not None and learn_from is not None:
            raise UsageError(
                "Name the coder to suggest for, or the coders to learn from, not both."
            )
        self.learn_from = None if learn_from is None else list(learn_from)
        self.coder = coder
        """The coder suggestions are for (learning from their own codings and decisions)."""
        self.with_consensus = with_consensus
        self.pipeline = pipeline or TextPipeline.for_study(study)
        self.vocabulary = Vocabulary()
        cache = self.pipeline.cache
        self.features_cache = ArrayCache(cache.root / "suggest") if cache is not None else None
        """Where each transcript's packed `TextFeatures` are kept, beside the analyses."""
        self._indexes: dict[str, KeywordIndex] = {}
        self._texts: dict[tuple[str, str], TextFeatures] = {}
        self._spans: dict[tuple[str, str, str], np.ndarray] = {}
        self._keyword_features: dict[tuple[str, str, str], SegmentFeatures] = {}
        self._numbered = False
        self._telling: np.ndarray | None = None
        self._model: Model | None = None
        if prepare:
            self.prepare()

    def prepare(self) -> None:
        """Load and read everything suggestions need now, rather than on the first call."""
        language = normalise_language(self.study.config.language)
        warm_up_language(language)
        stop_words(language)
        self.index(language)
        for transcript in self.study.transcripts:
            self.text_features(transcript)
        self.prune_cache()
        _ = self.model  # learns now, and numbers the lemmas when it learned any weights

    def prune_cache(self) -> None:
        """Delete the cached files the study's transcripts and keywords no longer need."""
        cache = self.pipeline.cache
        if cache is None or self.features_cache is None:
            return
        shared = is_shared(cache.root)
        transcripts = self.study.transcripts
        cache.prune({self.pipeline.key_of(t) for t in transcripts}, shared)
        self.features_cache.prune({self._features_name(t) for t in transcripts}, shared)

    def _features_name(self, transcript: Transcript) -> str:
        """The file name (without `.npy`) of a transcript's packed features."""
        index = self.index(self.pipeline.language_of(transcript))
        return f"{self.pipeline.key_of(transcript)}-{index.signature}-f{FEATURES_FORMAT}"

    # -- reading -------------------------------------------------------------------------------

    def index(self, language: str) -> KeywordIndex:
        """The codebook's keywords compiled for a language."""
        found = self._indexes.get(language)
        if found is None:
            found = self._indexes[language] = keyword_index(self.study.codebook, language)
        return found

    @property
    def entries(self):
        return self.index(normalise_language(self.study.config.language)).entries

    def transcript(self, transcript: Transcript | str) -> Transcript:
        return self.study.transcript(transcript) if isinstance(transcript, str) else transcript

    def text_features(self, transcript: Transcript | str) -> TextFeatures:
        """A transcript read and matched against the keywords (kept in memory and on disk)."""
        transcript = self.transcript(transcript)
        key = (transcript.id, transcript.hash)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = self._read(transcript)
            found.numbering = _weak(self._number_study)
        return found

    def _read(self, transcript: Transcript) -> TextFeatures:
        """From the packed file of this text and these keywords, else analysed and matched."""
        language = self.pipeline.language_of(transcript)
        index = self.index(language)
        cache = self.features_cache
        name = self._features_name(transcript)
        if cache is not None:
            packed = cache.load_array(name)
            if packed is not None:
                try:
                    found = TextFeatures.unpack(packed, language, self.vocabulary, transcript.text)
                except ValueError:
                    found = None
                if found is not None and (not len(found) or found.ends[-1] <= len(transcript.text)):
                    return found
        analysis = self.pipeline.analyse_transcript(transcript)
        matches = index.match(analysis)
        found = TextFeatures.build(analysis, matches, self.vocabulary, transcript.text)
        if cache is not None:
            cache.save_array(name, found.pack())
        return found

    def _number_study(self) -> None:
        """Number the lemmas of every transcript, in the study's order, before any other text.

        Lemma numbers then depend only on the study, not on which call came first, so a model
        learned by one Suggester of the study can be used by another.
        """
        if self._numbered:
            return
        self._numbered = True
        for transcript in self.study.transcripts:
            _ = self.text_features(transcript).lemma_ids

    def passages(self, transcript: Transcript | str, unit: str | None = None) -> list[tuple[int, int]]:
        """The spans suggestions are made for: segments of informants' turns (not the interviewer's)."""
        return [(start, end) for start, end in self._passage_array(transcript, unit).tolist()]

    def _passage_array(self, transcript: Transcript | str, unit: str | None = None) -> np.ndarray:
        """`passages` as an (n, 2) array, kept per transcript text and unit."""
        transcript = self.transcript(transcript)
        unit = unit or self.unit
        key = (transcript.id, transcript.hash, unit)
        found = self._spans.get(key)
        if found is None:
            interviewer = {t.index for t in transcript.turns if t.is_interviewer}
            segments = transcript.segments(unit)
            spans = [(s.start, s.end) for s in segments if s.turn not in interviewer]
            found = self._spans[key] = np.array(spans, np.int64).reshape(-1, 2)
        return found

    def _passage_keywords(self, transcript: Transcript, unit: str) -> SegmentFeatures:
        """The keyword matches of a transcript's passages (kept: they are small and reused)."""
        key = (transcript.id, transcript.hash, unit)
        found = self._keyword_features.get(key)
        if found is None:
            spans = self._passage_array(transcript, unit)
            found = segment_features(self.text_features(transcript), spans, lemmas=False)
            self._keyword_features[key] = found
        return found

    # -- models --------------------------------------------------------------------------------

    def telling(self) -> np.ndarray:
        """How telling each keyword is in this study (see model.telling)."""
        if self._telling is None:
            entries = len(self.entries)
            frequency = np.zeros(entries)
            passages = 0
            for transcript in self.study.transcripts:
                features = self._passage_keywords(transcript, "paragraph")
                frequency += np.bincount(features.keyword_entry, minlength=entries)[:entries]
                passages += features.count
            self._telling = telling(frequency, passages)
        return self._telling

    def codebook_model(self, extra_codes: Sequence[str] = ()) -> Model:
        """The model of the codebook's keywords alone (the baseline, and the learning prior)."""
        index = self.index(normalise_language(self.study.config.language))
        with_keywords = {e.code for e in index.entries if not e.negative}
        wanted = with_keywords | set(extra_codes)
        codes = [c.id for c in self.study.codebook.walk() if c.id in wanted]
        return codebook_model(index, self.telling(), codes)

    @property
    def model(self) -> Model:
        """The model in use: learned from `learn_from` if there is anything to learn from."""
        if self._model is None:
            from qualcode.suggest.training import learn

            self.model = learn(self, self.learn_from, self.coder, self.with_consensus)
        return self._model

    @model.setter
    def model(self, model: Model) -> None:
        self._model = model
        if model.learned:
            self._number_study()

    def refresh(self) -> None:
        """Learn again now (after new codings or accept/reject decisions)."""
        self._model = None
        _ = self.model

    # -- scoring -------------------------------------------------------------------------------

    def scores(
        self, transcript: Transcript | str, spans: list[tuple[int, int]], model: Model | None = None
    ) -> np.ndarray:
        """(spans, codes) scores from 0 to 1; codes as in `model.codes`."""
        model = model or self.model
        features = segment_features(self.text_features(transcript), spans, lemmas=model.learned)
        return model.scores(features)

    def for_transcript(
        self,
        transcript: Transcript | str,
        unit: str | None = None,
        min_score: float | None = None,
        top: int | None = None,
    ) -> list[Suggestion]:
        """Suggestions for every passage of a transcript, in text order, best first per passage."""
        transcript = self.transcript(transcript)
        unit = unit or self.unit
        spans = self._passage_array(transcript, unit)
        text = self.text_features(transcript)
        known = None if self.model.learned else self._passage_keywords(transcript, unit)
        return self._suggest(text, spans, min_score, top, transcript.id, known)

    def for_span(
        self,
        transcript: Transcript | str,
        start: int,
        end: int,
        min_score: float | None = None,
        top: int | None = None,
    ) -> list[Suggestion]:
        """Codes for the passage [start, end) of a transcript, best first."""
        transcript = self.transcript(transcript)
        start, end = max(0, start), min(len(transcript.text), end)
        if end <= start:
            return []
        text = self.text_features(transcript)
        return self._suggest(text, np.array([[start, end]]), min_score, top, transcript.id)

    def for_text(
        self,
        text: str,
        language: str | None = None,
        min_score: float | None = None,
        top: int | None = None,
    ) -> list[Suggestion]:
        """Codes for a passage that is not in the study (offsets are into `text`)."""
        if not text.strip():
            return []
        language = normalise_language(language, self.study.config.language)
        analysis = analyse_text(text, language)
        matches = self.index(language).match(analysis)
        features = TextFeatures.build(analysis, matches, self.vocabulary, text)
        features.numbering = _weak(self._number_study)
        return self._suggest(features, np.array([[0, len(text)]]), min_score, top, None)

    # -- building suggestions ------------------------------------------------------------------

    def _suggest(
        self,
        text: TextFeatures,
        spans: np.ndarray,
        min_score: float | None,
        top: int | None,
        transcript_id: str | None,
        features: SegmentFeatures | None = None,
    ) -> list[Suggestion]:
        """The best codes of every span at or above the floor, best first per span.

        All spans are scored at once; each suggestion explains itself only when asked
        (see `Explainer`).
        """
        model = self.model
        if features is None:
            features = segment_features(text, spans, lemmas=model.learned)
        scores = model.scores(features)
        floor = self.min_score if min_score is None else min_score
        limit = self.top if top is None else top
        if scores.size == 0 or limit < 1:
            return []
        order = np.argsort(-scores, axis=1, kind="stable")[:, :limit]
        best = np.take_along_axis(scores, order, axis=1)
        rows, ranks = np.nonzero(best >= floor)
        if not rows.size:
            return []
        codes = order[rows, ranks]
        width = len(model.codes)
        explain = Explainer(text, features, model, self.index(text.language).entries).explain
        names = [model.codes[c] for c in codes.tolist()]
        return [
            Suggestion(name, start, end, score, None, None, transcript_id, explain=explain, key=key)
            for name, start, end, score, key in zip(
                names,
                spans[rows, 0].tolist(),
                spans[rows, 1].tolist(),
                best[rows, ranks].tolist(),
                (rows * width + codes).tolist(),
            )
        ]


def _weak(method) -> Callable[[], None]:
    """Call a bound method without keeping its object alive (no reference cycle)."""
    ref = weakref.WeakMethod(method)

    def call() -> None:
        found = ref()
        if found is not None:
            found()

    return call
