"""qualcode: code interview transcripts with hierarchical codebooks, compare coders, export quotes.

The library is usable without the terminal application:

    from qualcode.study import Study
    study = Study.open("my-study")
"""

__version__ = "0.1.0"
