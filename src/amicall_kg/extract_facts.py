"""The facts a sentence states about a practice: concepts, catalysts, actors, outcomes and years.

``link_facts`` adds them to a mention from the sentence that names it and from the sentences that
go on about it; ``prior_catalysts`` takes the trigger told just before ("An attack on ... . The
mayor launched X").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .links import catalyst_type, catalysts, label_pattern, outcome_kind, years
from .places import norm
from .records import Actor, Catalyst, Mention, Outcome

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from .extract import _Context
    from .vocab import Vocabulary


def prior_catalysts(ctx: _Context, mention: Mention, sent: Span, block_start: int) -> None:
    """Triggers told in the sentence just before a practice ("An attack on ... . The mayor launched X")."""
    passage = ctx.trim(ctx.passage(block_start + sent.start_char, block_start + sent.end_char))
    found = [(t, i) for t, i, _s, _e in catalysts(sent.text, ctx.vocab) if i]
    if not found:
        type_iri = catalyst_type(sent.text, ctx.vocab)
        strong = ("violent-incident", "rumours", "arrival-of-refugees", "cultural-conflict")
        if type_iri and type_iri.rsplit("/", 1)[-1] in strong:
            found = [(sent.text.strip(), type_iri)]
    for text, type_iri in found:
        mention.catalysts.append(Catalyst(text, type_iri, passage))


def link_facts(ctx: _Context, mention: Mention, doc: Doc, sent: Span, block_start: int, anaphoric: bool) -> None:
    """Concepts, catalysts, actors, outcomes and years of one sentence, added to a mention."""
    passage = ctx.trim(ctx.passage(block_start + sent.start_char, block_start + sent.end_char))
    if anaphoric:
        mention.scope.append(passage)
    for c in doc.spans["amc_concepts"]:
        if not (sent.start <= c.start < sent.end):
            continue
        if c.label_ == "goal":
            mention.goals.add(c.kb_id_)
        elif c.label_ == "target-group":
            mention.target_groups.add(c.kb_id_)
        elif c.label_ == "lra-role":
            mention.roles.add(c.kb_id_)
        elif c.label_ == "actor-type":
            label = c.text.lower()
            place = mention.place
            key = f"{label}@{place.key}" if place else label
            shown = f"{label} ({place.name})" if place else label
            mention.actors.append(Actor(shown, key, c.kb_id_, passage, place))
    for e in ctx.ents:
        if e.label_ in ("ORG", "PERSON") and sent.start <= e.start < sent.end and e.text not in mention.name:
            type_iri = _actor_type(ctx, e.text)
            mention.actors.append(Actor(e.text, norm(e.text), type_iri, passage))
    for text, type_iri, _s, _e in catalysts(sent.text, ctx.vocab):
        mention.catalysts.append(Catalyst(text, type_iri, passage))
    kind = outcome_kind(sent.text)
    if kind and (anaphoric or re.search(r"\bevaluat|\bsuccess|\bfail", sent.text)):
        factors = tuple(
            sorted(
                {
                    c.kb_id_
                    for c in doc.spans["amc_concepts"]
                    if c.label_ == "outcome-factor" and sent.start <= c.start < sent.end
                }
            )
        )
        mention.outcomes.append(Outcome(sent.text.strip(), kind, factors, passage))
    found, end_year = years(sent.text)
    if found and (not anaphoric or re.search(r"founded|launched|since|from|started|began|set up|in \d{4}", sent.text)):
        mention.years.extend(found)
        mention.end_year = mention.end_year or end_year


def _actor_type(ctx: _Context, text: str) -> str | None:
    pattern, iris = label_pattern(ctx.vocab, "actor-type")
    hit = pattern.search(text.lower())
    return iris[hit.group(0)] if hit else None


def catalyst_types(texts: Iterable[str], vocab: Vocabulary) -> list[str | None]:
    """Catalyst-type IRIs for trigger phrases (exposed for tests and other callers)."""
    return [catalyst_type(t, vocab) for t in texts]
