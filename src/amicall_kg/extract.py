"""Extraction: the spaCy pipeline and the per-report pass that turns mentions into records.

A report is cut into blocks (its lines: paragraphs, bullets, headings, table rows); blocks go
through ``nlp.pipe``; each practice candidate becomes a ``Mention`` with its place, country,
concepts, catalysts, actors, outcomes and dates, and a ``Passage`` (exact character offsets).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import components as _components
from .actions import ACTORS, actor_action, hypothetical, not_a_deed
from .candidates import cue_of
from .extract_facts import link_facts, prior_catalysts
from .links import activity_phrase
from .places import Place, get_gazetteer, norm
from .practice_sentences import described_phrase
from .records import Mention, Passage
from .segments import SKIP_SECTIONS, Block, _PageMap, english_quotes, segment

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from .corpus import Report
    from .settings import Settings
    from .vocab import Vocabulary

CUE_ACTIVITY = {
    "festival": "intercultural festivals",
    "celebration": "intercultural festivals",
    "forum": "dialogue processes",
    "dialogue": "dialogue processes",
    "network": "network development",
    "coalition": "network development",
    "alliance": "network development",
    "partnership": "network development",
    "website": "web presence",
    "platform": "web presence",
    "campaign": "information campaigns",
    "course": "diversity training",
    "centre": "physical spaces",
    "center": "physical spaces",
    "house": "physical spaces",
    "playground": "physical spaces",
    "branding": "city branding",
    "magazine": "media engagement",
}
ANAPHOR = re.compile(
    r"^(?:The|This|These|Its|Their)\s+(?:\w+\s+)?(?:project|programme|program|initiative|campaign|festival|forum|"
    r"strategy|network|scheme|service|plan|activities|event|model|framework|study|research)\b|^(?:It|They)\s"
)
# A transcript's speaker turn: "JANE DOE:", "MODERATOR (Jane Doe):", "CHAIR:".
_SPEAKER = re.compile(
    r"(?:[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)+|[A-Z][A-Z.'\-]+\s*\([^()]{1,60}\)|"
    r"MODERATOR|CHAIR|HOST|INTERVIEWER|FACILITATOR|Q|A):"
)
# A header line of an e-mail quoted in a report, forwarded ("> From:") or not: names people, not practices.
_MAIL_HEADER = re.compile(r"^(?:>\s*)*(?:From|To|Cc|Bcc|Sent|Date):\s")
MIN_POPULATION_WITHOUT_CONTEXT = 50_000
MAIN_COUNTRIES = 3  # the countries a report names most: the context of a town named far from its country
MIN_POPULATION_UNIQUE = 15_000  # the one town of its name this size is the one meant (others are villages)
COMPASS = frozenset(
    ["north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "upper", "lower"]
)


def load_pipeline(settings: Settings, vocab: Vocabulary, blank: bool = False) -> Language:
    """The extraction pipeline: the statistical model (tagger/NER) or a blank English one, plus the
    rule components. ``blank=True`` needs no model and is what fast tests use."""
    import spacy

    from .errors import ModelNotFoundError

    if blank:
        nlp = spacy.blank("en")
    else:
        try:
            nlp = spacy.load(settings.spacy_model, exclude=["parser", "lemmatizer"])
        except OSError as exc:
            raise ModelNotFoundError(
                f"spaCy model {settings.spacy_model!r} is not installed ({exc}). Install it or set AMICALL_SPACY_MODEL."
            ) from None
    nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("amicall_concepts")
    nlp.add_pipe("amicall_places", config={"min_population": int(getattr(settings, "place_min_population", 5000))})
    nlp.add_pipe("amicall_practices")
    if not blank and settings.sentence_model:
        nlp.add_pipe(
            "amicall_sentences",
            config={"model": str(settings.sentence_model), "batch_size": int(settings.encoder_batch_size)},
        )
    _components.configure(nlp, vocab)
    return nlp


def extract_report(report: Report, nlp: Language, vocab: Vocabulary, batch_size: int = 64) -> list[Mention]:
    """Every practice mention of one report, with its linked facts."""
    text = report.text()
    return extract_text(report.id, text, nlp, vocab, _PageMap(report).page, report.title, batch_size)


def report_mentions(report: Report, nlp: Language, vocab: Vocabulary) -> list[dict[str, Any]]:
    """The spaCy work on one report as JSON data (first step of a staged, incremental build)."""
    from .records import mention_to_json

    return [mention_to_json(m) for m in extract_report(report, nlp, vocab)]


def extract_text(
    report_id: str,
    text: str,
    nlp: Language,
    vocab: Vocabulary,
    page_of: Any = None,
    title: str = "",
    batch_size: int = 64,
) -> list[Mention]:
    """Mentions in ``text`` (the report's full text; offsets refer to it)."""
    detector = nlp.get_pipe("amicall_practices")
    detector.title_words = frozenset(w for w in re.findall(r"[A-Z][A-Z]+", title))  # type: ignore[attr-defined]
    blocks = segment(text)
    min_population = getattr(nlp.get_pipe("amicall_places"), "min_population", 5000)
    ctx = _Context(report_id, text, vocab, page_of or (lambda _o: None), min_population)
    # Every block is tagged before the first is read: the report's own countries are counted first.
    docs = list(
        nlp.pipe(((english_quotes(b.text), i) for i, b in enumerate(blocks)), as_tuples=True, batch_size=batch_size)
    )
    ctx.report_countries = ctx.most_named_countries(doc for doc, _ in docs)
    skipping = False
    for doc, i in docs:
        block = blocks[i]
        if block.heading:
            skipping = norm(re.sub(r"[\d\W]+$", "", block.text)) in SKIP_SECTIONS
        if skipping or (title and norm(block.text) == norm(title)) or _MAIL_HEADER.match(block.text):
            continue  # a skipped section, the report's own title line, or a mail header ("From: Jane Doe")
        ctx.block(block, doc)
    return ctx.mentions


class _Context:
    """Running state of one report's pass: recent places, countries and mentions."""

    def __init__(self, report_id: str, text: str, vocab: Vocabulary, page_of: Any, min_population: int = 5000) -> None:
        self.report_id = report_id
        self.text = text
        self.vocab = vocab
        self.page_of = page_of
        self.gaz = get_gazetteer(min_population)  # the towns the place tagger marks, so each can resolve
        self.mentions: list[Mention] = []
        self.recent_places: list[Place] = []  # cities/regions of recent blocks, newest last
        self.recent_countries: list[str] = []
        self.report_countries: list[str] = []  # the countries the whole report names, most named first
        self.heading_place: Place | None = None
        self.heading_age = 99
        self.prev_block_places: list[Place] = []
        self.bullet = False
        self.cur_block_places: list[Place] = []
        self.sentence_text = ""
        self.ents: list[Span] = []
        self.sentence_start = 0
        self.known: dict[str, Place] = {}
        self._common: dict[str, bool] = {}  # normalised mention -> place resolved earlier in the report
        self.last_block_mentions: list[Mention] = []

    def passage(self, start: int, end: int) -> Passage:
        return Passage(self.report_id, start, end, self.text[start:end], self.page_of(start))

    # -- places ---------------------------------------------------------------------------
    def common_word(self, name: str) -> bool:
        """A one-word name also written in lower case in this report (a compass word, an ordinary noun)."""
        if " " in name or "-" in name:
            return False
        low = name.lower()
        if low not in self._common:
            # Not in a web address, a handle or a hashtag ("www.northam.gov.uk", "@northam"), which are lower case.
            self._common[low] = re.search(rf"(?<![\w@#./-]){re.escape(low)}(?![\w-]|\.\w)", self.text) is not None
        return self._common[low]

    def resolve(self, name: str, countries: list[str], fuzzy: bool = False) -> Place | None:
        key = norm(name)
        if self.common_word(name) or all(w in COMPASS for w in name.lower().split()):
            return None
        if key in self.known:
            return self.known[key]
        cands = self.gaz.lookup(name)
        if not cands:
            cands = [c for c in self.gaz.lookup_alt(name) if c.country_code in countries[:3]]
        if not cands:
            for known_key, place in self.known.items():
                if key and re.search(rf"\b{re.escape(key)}\b", known_key) and place.kind == "city":
                    return place
            for code in countries[:2] if fuzzy else ():
                cands = self.gaz.fuzzy(name, code)
                if cands:
                    break
        chosen = self.gaz.choose(cands, countries, MIN_POPULATION_WITHOUT_CONTEXT, self.gaz.min_population)
        towns = [c for c in cands if c.kind == "city" and (c.population or 0) >= MIN_POPULATION_UNIQUE]
        regions = {c.country_code for c in cands if c.kind == "region"}
        if chosen is None and len(towns) == 1 and regions <= {towns[0].country_code}:
            chosen = towns[0]  # the one sizeable town of that name (its own district is the same place)
        if chosen is not None and chosen.kind == "city" and _accents(name) - _accents(chosen.name):
            chosen = None  # an accented word is not an unaccented homonym town
        if chosen is not None:
            self.known[key] = chosen
        return chosen

    def sentence_places(self, doc: Doc, sent: Span, countries: list[str]) -> list[tuple[Place, int, int]]:
        out = []
        for span in doc.spans["amc_places"]:
            if span.label_ != "place" or span.start < sent.start or span.end > sent.end:
                continue
            place = self.resolve(span.text, countries)
            if place is None and self.report_countries and not span.text.isupper() and span[0].ent_type_ != "NORP":
                # A town named far from its country: the report's own countries are the last context.
                place = self.resolve(span.text, countries + self.report_countries)
                if place is not None and place.kind != "city":
                    self.known.pop(norm(span.text), None)  # a region needs a nearer context
                    place = None
            if place is not None:
                out.append((place, span.start_char, span.end_char))
        return out

    def most_named_countries(self, docs: Iterable[Doc]) -> list[str]:
        """The countries a report names most (at least twice), most named first: the last context for a
        town named far from its country (a transcript speaks of Portugal early on, of "Northam" later)."""
        counts = Counter(code for doc in docs for code in self.countries_in(doc, 0, len(doc.text)))
        return [code for code, n in counts.most_common(MAIN_COUNTRIES) if n >= 2]  # not one named in passing

    def countries_in(self, doc: Doc, lo: int, hi: int) -> list[str]:
        codes = []
        for span in doc.spans["amc_places"]:
            if span.start_char < lo or span.end_char > hi:
                continue
            if span.label_ in ("country_adj", "country_code"):
                country = self.gaz.country(span.text)
                if country:
                    codes.append(country.country_code)
            else:
                found = self.gaz.lookup(span.text)
                codes.extend(c.country_code for c in found if c.kind == "country")
                if len(found) == 1 and found[0].kind == "region":
                    codes.append(found[0].country_code)  # "<Town>, <State>": the state's country
        return codes

    # -- blocks ---------------------------------------------------------------------------
    def block(self, block: Block, doc: Doc) -> None:
        self.ents = list(doc.ents)
        self.bullet = bool(re.match(r"^(?:[-\u2022*]|\d+\.)\s", block.text))
        block_countries = self.countries_in(doc, 0, len(doc.text))
        block_places: list[Place] = []
        self.cur_block_places = block_places
        new_mentions: list[Mention] = []
        sents = list(doc.sents)
        prev_had = False
        per_sent = [self.countries_in(doc, s.start_char, s.end_char) for s in sents]
        for si, sent in enumerate(sents):
            nearby = [c for lst in per_sent[si::-1] for c in lst] + [c for lst in per_sent[si + 1 :] for c in lst]
            countries = nearby + self.recent_countries[::-1]
            places = self.sentence_places(doc, sent, countries)
            self.sentence_text, self.sentence_start = doc.text, 0
            block_places.extend(p for p, _, _ in places if p.kind != "country")
            cands = [s for s in doc.spans["amc_practices"] if sent.start <= s.start < sent.end]
            sent_mentions = []
            for span in cands:
                # A quote the sentencizer cut in two: the places of the rest of it count too.
                here = (
                    places if span.end <= sent.end else self.sentence_places(doc, doc[sent.start : span.end], countries)
                )
                mention = self.mention(doc, sent, span, here, countries, len(cands), block)
                if mention is not None:
                    sent_mentions.append(mention)
            if any(m.kind != "unnamed" for m in sent_mentions):
                # A described practice beside a named one is almost always that one told again.
                sent_mentions = [m for m in sent_mentions if m.kind != "unnamed"]
            if block.table and si == 0:
                sent_mentions = self.table_row(doc, block, countries) or sent_mentions
            if not sent_mentions and not block.heading and not block.table:
                fallback = self.described(doc, sent, places, block, told=not new_mentions)
                sent_mentions = [fallback] if fallback else []
            if sent_mentions and si > 0 and not prev_had:
                for m in sent_mentions:
                    prior_catalysts(self, m, sents[si - 1], block.start)
            prev_had = bool(sent_mentions)
            if sent_mentions:
                new_mentions.extend(sent_mentions)
            elif new_mentions or (si == 0 and ANAPHOR.match(sent.text) and self.last_block_mentions):
                # A sentence that continues the story of the last practice named in this block.
                target = new_mentions[-1] if new_mentions else self.last_block_mentions[-1]
                link_facts(self, target, doc, sent, block.start, anaphoric=True)
        self.heading_age += 1
        if block.heading and len(block_places) == 1:
            self.heading_place, self.heading_age = block_places[0], 0
        self.prev_block_places = block_places
        self.recent_places = (self.recent_places + block_places)[-6:]
        self.recent_countries = (self.recent_countries + block_countries)[-6:]
        self.mentions.extend(new_mentions)
        if new_mentions:
            self.last_block_mentions = new_mentions

    def mention(
        self,
        doc: Doc,
        sent: Span,
        span: Span,
        places: list[tuple[Place, int, int]],
        countries: list[str],
        n_cands: int,
        block: Block,
    ) -> Mention | None:
        from .extract_place import place_for

        cand = span._.amc_candidate
        # A person's name is not a practice, nor is "Jane Doe, a nurse" (a first and a last name told apart);
        # "Talo Kaikille, a neighbourhood house" is told as a thing with a cue noun, whatever the tagger says.
        if (
            cand.kind != "slogan"
            and (not cand.construction or (cand.construction == "apposition" and " " in cand.name))
            and any(e.label_ == "PERSON" and e.start <= span.start and span.end <= e.end for e in self.ents)
            and not (cand.construction and any(cue_of(t.text) for t in doc[span.end : span.end + 6]))
        ):
            return None
        placed = place_for(self, cand, span, places, countries)
        if placed is None:
            return None
        place, country, in_name, name, core = placed
        kind = cand.kind
        if kind == "unnamed" and (place is None or place.kind == "country" or hypothetical(sent.text)):
            return None
        if place is not None and norm(name) == norm(place.name):
            return None  # "Northam (UK): ..." is the town, not a practice called Northam
        if len(name) < 2 or _SPEAKER.match(block.text[span.start_char :]):
            return None  # a stray letter, or a transcript's speaker label ("MODERATOR (Jane Doe):")
        start = block.start + sent.start_char
        passage = self.trim(self.passage(start, start + len(sent.text)))
        mention = Mention(self.report_id, name, kind, passage, cand.cue, list(cand.alt_names), place, country, in_name)
        mention.core = core
        if cand.cue in CUE_ACTIVITY:
            concept = self.vocab.find("activity-type", CUE_ACTIVITY[cand.cue])
            if concept:
                mention.activity_types.add(concept.iri)
        if kind == "slogan":
            concept = self.vocab.find("activity-type", "city branding")
            if concept:
                mention.activity_types.add(concept.iri)
        for c in doc.spans["amc_concepts"]:
            inside = span.start <= c.start and c.end <= span.end
            if c.label_ == "activity-type" and (inside or n_cands == 1) and sent.start <= c.start < sent.end:
                mention.activity_types.add(c.kb_id_)
        link_facts(self, mention, doc, sent, block.start, anaphoric=False)
        return mention

    def described(
        self, doc: Doc, sent: Span, places: list[tuple[Place, int, int]], block: Block, told: bool
    ) -> Mention | None:
        """An initiative described by what a local actor did ("X sent letters to ...") in a named place,
        or (``told``: nothing found yet in the block) a sentence the practice-sentence classifier picked."""
        local = [p for p, _, _ in places if p.kind != "country"]
        if hypothetical(sent.text):
            return None
        found = activity_phrase(sent.text) if local else None
        if found is not None and not not_a_deed(found[0]):
            return self.unnamed(doc, sent, block, found[0], local[0])
        deed = actor_action(sent)
        if deed is not None and not set(deed.lower().split()) <= ACTORS:
            place = local[0] if local else self.context_place()
            return self.unnamed(doc, sent, block, deed, place) if place else None
        picked = doc._.amc_practice_sentences
        if not (told and picked and sent.start in picked):
            return None
        phrase = described_phrase(sent)
        place = local[0] if local else self.context_place()
        return self.unnamed(doc, sent, block, phrase, place) if phrase and place else None

    def context_place(self) -> Place | None:
        """The town the text is about when a sentence names none: the last one earlier in the block, the
        heading's, or the first town of the last block (later ones are often origins or comparisons)."""
        if self.cur_block_places:
            return self.cur_block_places[-1]
        if self.heading_place is not None and self.heading_age < 3:
            return self.heading_place
        return next((p for p in self.prev_block_places if p.kind == "city"), None)

    def unnamed(self, doc: Doc, sent: Span, block: Block, phrase: str, place: Place) -> Mention | None:
        if norm(phrase) == norm(place.name):
            return None  # "I began in Northam": the town, not a practice
        start = block.start + sent.start_char
        passage = self.trim(self.passage(start, start + len(sent.text)))
        country = self.gaz.countries.get(place.country_code)
        mention = Mention(self.report_id, phrase, "unnamed", passage, "described", [], place, country, False)
        mention.core = phrase
        for c in doc.spans["amc_concepts"]:
            if c.label_ == "activity-type" and sent.start <= c.start < sent.end:
                mention.activity_types.add(c.kb_id_)
        link_facts(self, mention, doc, sent, block.start, anaphoric=False)
        return mention

    def trim(self, passage: Passage) -> Passage:
        text = passage.text
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        return self.passage(passage.start + lead, passage.end - trail)

    def table_row(self, doc: Doc, block: Block, countries: list[str]) -> list[Mention]:
        from .extract_place import table_mentions
        from .extract_table import listed_mentions

        return table_mentions(self, doc, block, countries) or listed_mentions(self, block)


def _accents(text: str) -> set[str]:
    return {ch for ch in text if ord(ch) > 127 and ch.isalpha()}
