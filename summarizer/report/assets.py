"""The report's templates, inline style and script, and the rules that keep a page inert.

A page must open from disk with the network off and run nothing but its own script,
whatever the article or the model wrote. Three things hold that:

- jinja2 escapes every value a template prints (`autoescape`); only the style, the
  script and markup built with markupsafe (which escapes what it is given) print as is;
- data for the script is JSON inside `<script type="application/json">`, with `<`, `>`
  and `&` written as `\\u003c`, `\\u003e`, `\\u0026`, so neither `</script>` nor `<!--`
  can end or bend that element;
- each page declares a Content-Security-Policy allowing its own style and script by
  their SHA-256 and nothing else: no request leaves the page, and an injected script or
  `onerror=` would not run even if escaping failed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources

import jinja2
from markupsafe import Markup

_PACKAGE = "summarizer.report"
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(data: object) -> Markup:
    """`data` as JSON that is safe inside a <script> element: no `<`, `>` or `&` in it."""
    text = json.dumps(data, ensure_ascii=False)
    return Markup("".join(_ESCAPES.get(char, char) for char in text))


@functools.cache
def asset(name: str) -> str:
    """A file shipped beside the templates (the style sheet, the script)."""
    return resources.files(_PACKAGE).joinpath("templates", name).read_text(encoding="utf-8")


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def content_policy(style: str, script: str | None = None) -> str:
    """The page's Content-Security-Policy: its own style and script, nothing else."""
    scripts = _digest(script) if script is not None else "'none'"
    return (
        f"default-src 'none'; style-src {_digest(style)}; script-src {scripts}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(_PACKAGE, "templates"),
        autoescape=True,  # every value printed is escaped, in text and in attributes
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    return env


def render(template: str, *, scripted: bool, **values: object) -> str:
    """A template, given the style, the script (when `scripted`; else the page may run
    none) and the policy that allows only them."""
    style = asset("report.css")
    script = asset("report.js") if scripted else None
    return (
        environment()
        .get_template(template)
        .render(
            style=Markup(style),
            script=Markup(script) if script is not None else None,
            policy=content_policy(style, script),
            **values,
        )
    )
