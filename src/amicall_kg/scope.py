"""Whether a candidate is a local practice or something a report only mentions beside one.

Reports on local integration work keep naming things that are not local practices: the EU fund
or the national scheme that paid for them, the supranational network a town belongs to, the
research project that studied them, the reception centre whose opening set them off. The rule
finders see a name or a cue noun in each; ``beyond_local`` tells them apart by the words around
the name and the generic shape of the name ("... Fund", "EU ..."), never by a list of names, so it
works on reports it has not seen.
"""

from __future__ import annotations

import re

from .candidates import Candidate
from .places import DEMONYMS

# "the EU's X", "the Council of Europe's X network": an instrument of a body above the state.
_SUPRANATIONAL = re.compile(
    r"\b(?:EU|European Union|European Commission|Council of Europe|United Nations|UN|UNHCR|OECD|World Bank)"
    r"(?:['\u2019]s)?\s+(?:[a-z][\w\-]*\s+)?[\"'\u201c\u2018(]?$"
)
# A body above the state named on its own: an institution, never a town's practice.
_BODY_ABOVE_STATE = re.compile(r"European (?:Commission|Parliament|Council)|Council of Europe|United Nations")
# "co-financed by the X", "a grant from the X", "paid for from the X": X paid, it is not the practice.
_FUNDED_BY = re.compile(
    r"\b(?:(?:co-)?(?:financed|funded|financing|funding)|paid for|grants?|money|funds|allocations?|"
    r"dr[ae]w on|drawing on)\b[^.;]{0,100}?\b(?:by|through|from|under|via|on)\s+(?:the\s+)?[\"'\u201c\u2018(]?$",
    re.IGNORECASE,
)
# "the federal-state urban development programme 'X'", "Canada's federal X Program".
_NATIONAL = re.compile(
    r"\b(?:national|federal|federal-state|nationwide|state-wide|government['\u2019]s|ministry['\u2019]s)\s+"
    r"(?:[a-z][\w\-]*\s+){0,3}[\"'\u201c\u2018(]?$",
    re.IGNORECASE,
)
# After the name: "X itself is national law", "X is a national scheme".
_NATIONAL_AFTER = re.compile(r"^[\"'\u201d\u2019)]?\s+(?:itself\s+)?(?:is|was|are)\s+(?:a\s+)?(?:national|federal)\b")
# "national frameworks such as the A, the B or the C": every item of the list.
_NATIONAL_LIST = re.compile(
    r"\b(?:national|federal|EU|European)\s+(?:[a-z]+\s+)?(?:frameworks?|schemes?|programmes?|programs?|laws?|"
    r"policies|instruments?|funds?|measures|systems?)\s+(?:such as|like|including)\b[^.;]*$"
)
_RESEARCH = re.compile(r"\bresearch\s+(?:project|programme|program|study|consortium)\b", re.IGNORECASE)
# After the name: "X, which the town has run since 2016": the town's own, whatever paid for it.
_RUN_LOCALLY = re.compile(
    r"^[\"'\u201d\u2019)]?,?\s+(?:which|that)\s+(?:the\s+)?(?:town|city|municipality|council|borough)\b"
)
# Words in the name of a fund that a state or the EU runs; a town's fund is named for its people or place.
_WIDE_FUND = re.compile(r"\b(?:Asylum|Lottery|National|Federal|European|Cohesion|Structural)\b")
_FUND_WORDS = frozenset(["fund", "funds", "programme", "program", "scheme", "instrument", "facility"])
_FUND_AFTER = re.compile(
    r"^[\s\"'\u201d\u2019]*(?:fund|programme|program|scheme|plan|strategy|framework)\b", re.IGNORECASE
)
_FUND_BEFORE = re.compile(r"\b(?:fund|programme|program|scheme|law|decree|act)\s*[\"'\u201c\u2018(]?$", re.IGNORECASE)


def beyond_local(sentence: str, cand: Candidate) -> bool:
    """Whether ``cand`` (offsets into ``sentence``) names a fund, a national or supranational
    instrument, or a research project rather than a local practice."""
    before = sentence[max(0, cand.start - 120) : cand.start]
    after = sentence[cand.end : cand.end + 80]
    if _RUN_LOCALLY.match(after):
        return False
    if _SUPRANATIONAL.search(before) or _NATIONAL_LIST.search(before) or _NATIONAL_AFTER.match(after):
        return True
    if re.match(r"(?:EU|European Union|Interreg)\b", cand.name) or _BODY_ABOVE_STATE.fullmatch(cand.name):
        return True  # "EU-funded X", "EU Y Fund", the EU's cross-border programme, the European Commission itself
    words = cand.name.split()
    instrument = bool(
        (words and words[-1].lower() in _FUND_WORDS) or _FUND_AFTER.match(after) or _FUND_BEFORE.search(before)
    )
    if instrument and (_FUNDED_BY.search(before) or _NATIONAL.search(before)):
        return True
    if instrument and words and (words[0].lower() in DEMONYMS or words[0] in ("European", "UK", "US")):
        return True  # "Austrian Integration Fund", "UK Shared Prosperity Fund"
    if words and words[-1].lower() in ("fund", "funds") and _WIDE_FUND.search(before[-12:] + cand.name):
        return True  # "(Asylum,) Migration and Integration Fund": a state's or the EU's, not a neighbourhood's
    window = sentence[max(0, cand.start - 60) : cand.end + 60]
    return cand.kind != "slogan" and bool(_RESEARCH.search(window))
