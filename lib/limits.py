"""Documented limits on one report (README, "What the build does with bad input").

Each is far above any real civil-affairs report (the largest seen: 0.2 MB, sentences of 381
characters with 22 figures, 108 table cells) and below where a build would take minutes or
gigabytes. Past a limit the file fails alone with a message naming the limit; the other reports
build as usual. Parsing is linear in the file's size up to them (benchmarks/bench_file_size.py).
"""

MAX_FILE_MB = 64  # bytes of one report file
MAX_SENTENCE_CHARS = 200_000  # characters of one sentence
MAX_TABLE_CELLS = 200_000  # cells of all the rebuilt tables of one report
MAX_INDICATOR_FIGURES = 100  # figures in a sentence searched for indicators (its mentions are always kept)
