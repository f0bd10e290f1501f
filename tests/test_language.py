"""Tests for summarizer.language: the guess that picks time words and the output language."""

from pathlib import Path

import pytest

from summarizer.language import guess_language

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param((DATA / "spanish.txt").read_text(encoding="utf-8"), "Spanish", id="es-file"),
        pytest.param((DATA / "lisbon.txt").read_text(encoding="utf-8"), "English", id="en-file"),
        pytest.param(
            "O governo anunciou ontem uma nova lei para os aposentados, disse o ministro. "
            "A lei não foi votada pelo parlamento.",
            "Portuguese",
            id="pt",
        ),
        pytest.param(
            "Le gouvernement a annoncé hier une nouvelle loi pour les retraites, selon le "
            "ministre. Elle est entrée en vigueur dans la nuit.",
            "French",
            id="fr",
        ),
        pytest.param(
            "Der Bundestag hat am Montag über das Gesetz abgestimmt, sagte die Ministerin. "
            "Es ist nicht klar, ob die Mehrheit für den Plan reicht.",
            "German",
            id="de",
        ),
        pytest.param("Acme Corp: 3.5% in Q3", None, id="too-few-words"),
        pytest.param(
            "The minister said that the plan was ready and that the cabinet had agreed to it "
            'on Monday. "Es el plan de la región," he said, to the applause of the crowd, '
            "and the vote was set for the following week.",
            "English",
            id="spanish-quote-in-english",
        ),
        pytest.param(
            "The plan was said to be ready for the region. "
            "El plan de la región está listo para los votos de las provincias.",
            None,
            id="half-and-half-is-no-guess",
        ),
    ],
)
def test_guess_language(text: str, expected: str | None) -> None:
    assert guess_language(text) == expected


def test_a_number_in_a_spanish_summary_is_read_as_spanish_writes_it():
    from summarizer.article import load_article
    from summarizer.context import Context, ungrounded_numbers

    text = (
        "El ayuntamiento aprobó el viernes un plan para plantar 1.500 árboles, con un coste "
        "de 2,5 millones de euros, según dijo la alcaldesa a los vecinos de la ciudad.\n"
    )
    ctx = Context.build(load_article(text))
    assert ctx.lang == "Spanish"
    assert [n.value for n in ctx.numbers.values()] == [1500, 2500000]
    assert ungrounded_numbers(ctx, "Plantarán 1.500 árboles por 2,5 millones de euros.") == []
    assert ungrounded_numbers(ctx, "They will plant 1,500 trees.") == []
    assert ungrounded_numbers(ctx, "Plantarán 1.600 árboles.") == ["1.600"]
