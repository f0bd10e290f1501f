"""A long article written for the tests: one quote, one speaker and one number per paragraph
(few candidates per window, so recording it against the CPU model stays under ~15 minutes)."""

from __future__ import annotations

DISTRICTS = ["Alfama", "Belém", "Graça", "Lapa", "Estrela", "Campo", "Ajuda", "Areeiro", "Benfica"]
TOPICS = ["buses", "schools", "bridges", "parks", "clinics", "libraries", "ferries", "markets"]
NAMES = ["Amal", "Bruno", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jana"]
SURNAMES = ["Okafor", "Silva", "Wei", "Novak", "Berg", "Haddad", "Petrov", "Sato", "Kral", "Lind"]


def paragraph(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    name = f"{NAMES[i % len(NAMES)]} {SURNAMES[(i * 3) % len(SURNAMES)]}"
    count = 100 + 17 * i
    return (
        f"In {DISTRICTS[i % len(DISTRICTS)]}, the regional council voted to fund {count} new {topic} over the "
        f"next budget period, a decision that followed months of debate among residents, "
        f"planners and the local chamber of commerce. Supporters argued that the investment "
        f"would ease pressure on older facilities, while critics warned that maintenance costs "
        f"had been underestimated in every previous plan that the council had approved. "
        f'"We have waited long enough for {topic} that actually serve this district," council '
        f"member {name} told reporters after the vote, adding that construction should begin "
        f"before the end of the year. Officials said a public consultation on the exact "
        f"locations would open next month and run for several weeks, and that residents could "
        f"submit comments online or at any council office during normal opening hours. The "
        f"council also asked its finance committee to publish a detailed cost review."
    )


def long_article(chars: int = 60_000) -> str:
    """About `chars` characters: a dateline, then paragraphs until the length is reached."""
    parts = ["date 2026-03-14 Lisbon: The regional council approved a series of local plans."]
    i = 0
    while sum(len(p) + 2 for p in parts) < chars:
        parts.append(paragraph(i))
        i += 1
    return "\n\n".join(parts)
