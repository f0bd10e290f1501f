"""The `summarize` command. Results go to stdout (or --out), messages and progress to stderr.

Exit codes: 0 success; 3 a partial brief (a pass could not be answered; `meta.incomplete`
names it); 1 a runtime failure (endpoint, model, extraction); 2 bad usage or an
unreadable/empty article; 130 interrupted (Ctrl-C, SIGINT); 143 terminated (SIGTERM). With
several articles the worst outcome decides (2, then 1, then 3, then 0). Errors are one
line; --debug (or SUMMARIZER_DEBUG=1) shows the traceback too. A signal ends any command
within seconds with one line, "summarize: interrupted", after what was finished is
written (summarizer/signals.py).

One module per command (run, batch, eval, models); `options` declares the options they
share, `failures` turns an error into its line and exit code, `progress` draws on stderr.
"""

from __future__ import annotations

import click

from summarizer import signals
from summarizer.cli import batch, eval, models, run

__all__ = ["DefaultGroup", "main"]


class DefaultGroup(click.Group):
    """`summarize FILE` runs the default command; `summarize models` the subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        elif not args:
            args = ["run"]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command with Ctrl-C and SIGTERM handled (summarizer/signals.py): the
        commands save what they finished; a signal anywhere else ends it here."""
        with signals.handled():
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt as exc:
                signals.leave(exc)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Turn news articles into trustworthy structured briefs.

    \b
      summarize article.txt                  brief as JSON on stdout
      summarize article.txt --format md      readable Markdown
      summarize a.txt --format html --out a.html   a page: the article, its evidence lit up
      summarize a.txt b.txt --format jsonl   one JSON line per article
      cat article.txt | summarize -          read stdin
      summarize models                       list embedded models

    Run `summarize run --help` for every option. Every quote and number in the output is
    checked against the article text, with character offsets.
    """


for command in (run.run, batch.batch, eval.evaluate, models.models):
    main.add_command(command)
