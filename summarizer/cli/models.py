"""`summarize models`: the embedded models and the llama.cpp runtime."""

from __future__ import annotations

import click

from summarizer import embedded


@click.command("models")
def models() -> None:
    """List the embedded models, whether they are ready, and where their files live."""
    for spec in embedded.MODELS.values():
        default = " (default)" if spec.name == embedded.DEFAULT_MODEL else ""
        click.echo(f"{spec.name}{default}: {embedded.model_state(spec)}")
        click.echo(f"    {spec.description}; {spec.size / 1e9:.2f} GB")
        click.echo(f"    {embedded.model_path(spec)}")
    click.echo(f"runtime: {embedded.runtime()}")
    if hint := embedded.runtime_hint():
        click.echo(f"    {hint}")
