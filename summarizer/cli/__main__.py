"""`python -m summarizer.cli`: the `summarize` command without the console script."""

from summarizer.cli import main

main()
