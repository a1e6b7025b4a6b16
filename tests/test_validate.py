"""SHACL validation of built graphs (validate.py + ontology/shapes.ttl)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from amicall_kg.errors import OntologyError
from amicall_kg.namespaces import AMC, ID
from amicall_kg.validate import Violation, blocking, format_violations, validate_graph

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
VOCAB = "https://w3id.org/amicall/vocab/"

GOOD = """
@prefix amc: <https://w3id.org/amicall/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/amicall/id/> .
@prefix v: <https://w3id.org/amicall/vocab/> .

id:report a amc:Report ; dcterms:title "A report" .
id:passage a amc:Passage ; amc:inReport id:report ; amc:start 0 ; amc:end 120 ; amc:page 3 ;
    amc:text "After an attack, the town council started a dialogue forum." .
id:practice a amc:Practice ; rdfs:label "Dialogue forum" ; amc:evidence id:passage ;
    amc:locatedIn id:town ; amc:country id:country ;
    amc:activityType <https://w3id.org/amicall/vocab/activity-type/dialogue-processes> ;
    amc:goal <https://w3id.org/amicall/vocab/goal/defusing-conflict> ;
    amc:targetGroup <https://w3id.org/amicall/vocab/target-group/whole-community> ;
    amc:catalyst id:catalyst ; amc:involves id:council ; amc:hasOutcome id:outcome .
id:catalyst a amc:Catalyst ; rdfs:label "an attack" ; amc:evidence id:passage ;
    amc:catalystType <https://w3id.org/amicall/vocab/catalyst-type/violent-incident> .
id:outcome a amc:Outcome ; rdfs:label "evaluated positively" ; amc:evidence id:passage ; amc:outcomeKind "evaluation" .
id:council a amc:LocalAuthority ; rdfs:label "Town council" ; amc:evidence id:passage ;
    amc:actorType <https://w3id.org/amicall/vocab/actor-type/local-authority> .
id:town a amc:Place ; rdfs:label "Sometown" ; amc:country id:country ; amc:population 12000 .
id:country a amc:Country ; rdfs:label "Somecountry" .
"""


def good() -> Graph:
    return Graph().parse(data=GOOD, format="turtle")


def concept(scheme: str, name: str) -> URIRef:
    return URIRef(f"{VOCAB}{scheme}/{name}")


def drop(s: URIRef, p: URIRef) -> Callable[[Graph], None]:
    return lambda g: g.remove((s, p, None))


def setv(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    return lambda g: g.set((s, p, o))  # type: ignore[arg-type]


def add(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    return lambda g: g.add((s, p, o))  # type: ignore[arg-type]


# (case name, change to the good graph, expected focus node, expected shape, expected path)
BROKEN = [
    ("practice-no-label", drop(ID.practice, RDFS.label), ID.practice, "amcsh:PracticeLabel", "rdfs:label"),
    ("practice-no-evidence", drop(ID.practice, AMC.evidence), ID.practice, "amcsh:PracticeEvidence", "amc:evidence"),
    (
        "practice-evidence-not-passage",
        setv(ID.practice, AMC.evidence, ID.report),
        ID.practice,
        "amcsh:PracticeEvidence",
        "amc:evidence",
    ),
    ("passage-no-report", drop(ID.passage, AMC.inReport), ID.passage, "amcsh:PassageReport", "amc:inReport"),
    (
        "passage-two-reports",
        lambda g: (
            g.add((ID.other, RDF.type, AMC.Report)),
            g.add((ID.other, RDFS.label, Literal("Other"))),
            g.add((ID.passage, AMC.inReport, ID.other)),
        ),
        ID.passage,
        "amcsh:PassageReport",
        "amc:inReport",
    ),
    ("passage-no-start", drop(ID.passage, AMC.start), ID.passage, "amcsh:PassageStart", "amc:start"),
    (
        "passage-string-offset",
        setv(ID.passage, AMC.end, Literal("120")),
        ID.passage,
        "amcsh:PassageEnd",
        "amc:end",
    ),
    (
        "passage-start-after-end",
        setv(ID.passage, AMC.start, Literal(500)),
        ID.passage,
        "amcsh:PassageOrder",
        "amc:start",
    ),
    (
        "passage-start-equals-end",
        setv(ID.passage, AMC.start, Literal(120)),
        ID.passage,
        "amcsh:PassageOrder",
        "amc:start",
    ),
    ("place-no-country", drop(ID.town, AMC.country), ID.town, "amcsh:PlaceCountryShape", None),
    (
        "place-country-not-a-country",
        setv(ID.town, AMC.country, ID.town),
        ID.town,
        "amcsh:PlaceCountryShape",
        None,
    ),
    (
        "place-bad-population",
        setv(ID.town, AMC.population, Literal("many")),
        ID.town,
        "amcsh:PlacePopulation",
        "amc:population",
    ),
    ("catalyst-no-evidence", drop(ID.catalyst, AMC.evidence), ID.catalyst, "amcsh:CatalystEvidence", "amc:evidence"),
    ("catalyst-no-label", drop(ID.catalyst, RDFS.label), ID.catalyst, "amcsh:CatalystLabel", "rdfs:label"),
    ("outcome-no-evidence", drop(ID.outcome, AMC.evidence), ID.outcome, "amcsh:OutcomeEvidence", "amc:evidence"),
    (
        "outcome-bad-kind",
        setv(ID.outcome, AMC.outcomeKind, Literal("great")),
        ID.outcome,
        "amcsh:OutcomeKind",
        "amc:outcomeKind",
    ),
    (
        "activity-type-wrong-scheme",
        setv(ID.practice, AMC.activityType, concept("catalyst-type", "funding")),
        ID.practice,
        "amcsh:PracticeActivityType",
        "amc:activityType",
    ),
    (
        "activity-type-not-a-concept",
        setv(ID.practice, AMC.activityType, concept("activity-type", "no-such-type")),
        ID.practice,
        "amcsh:PracticeActivityType",
        "amc:activityType",
    ),
    (
        "catalyst-type-wrong-scheme",
        setv(ID.catalyst, AMC.catalystType, concept("activity-type", "press-releases")),
        ID.catalyst,
        "amcsh:CatalystType",
        "amc:catalystType",
    ),
    (
        "goal-wrong-scheme",
        setv(ID.practice, AMC.goal, concept("target-group", "roma")),
        ID.practice,
        "amcsh:PracticeGoal",
        "amc:goal",
    ),
    (
        "target-group-wrong-scheme",
        setv(ID.practice, AMC.targetGroup, concept("goal", "social-cohesion")),
        ID.practice,
        "amcsh:PracticeTargetGroup",
        "amc:targetGroup",
    ),
    (
        "actor-type-wrong-scheme",
        setv(ID.council, AMC.actorType, concept("place-type", "diverse-suburbs")),
        ID.council,
        "amcsh:ActorType",
        "amc:actorType",
    ),
    ("actor-no-label", drop(ID.council, RDFS.label), ID.council, "amcsh:ActorLabel", "rdfs:label"),
    (
        "involves-non-actor",
        setv(ID.practice, AMC.involves, ID.town),
        ID.practice,
        "amcsh:PracticeInvolves",
        "amc:involves",
    ),
    (
        "report-no-title",
        drop(ID.report, URIRef("http://purl.org/dc/terms/title")),
        ID.report,
        "amcsh:ReportShape",
        None,
    ),
    (
        "typed-passage-without-anything",
        add(ID.passage2, RDF.type, AMC.Passage),
        ID.passage2,
        "amcsh:PassageReport",
        "amc:inReport",
    ),
]


def test_good_graph_conforms() -> None:
    assert validate_graph(good(), ONTOLOGY) == []


def test_good_graph_conforms_with_rdfs_inference() -> None:
    assert validate_graph(good(), ONTOLOGY, inference="rdfs") == []


@pytest.mark.parametrize(
    ("change", "focus", "shape", "path"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_each_broken_node_is_reported(
    change: Callable[[Graph], object], focus: URIRef, shape: str, path: str | None
) -> None:
    graph = good()
    change(graph)
    violations = validate_graph(graph, ONTOLOGY)
    assert violations, "expected a violation"
    hits = [v for v in violations if v.focus_node == str(focus) and v.shape == shape]
    assert hits, [str(v) for v in violations]
    assert hits[0].path == path
    assert hits[0].severity == "Violation"
    assert hits[0].message and "constraint not met" not in hits[0].message
    # only the broken node is reported: every result is about that node
    assert {v.focus_node for v in violations} == {str(focus)}


def test_input_graph_is_not_modified() -> None:
    graph = good()
    graph.remove((ID.practice, RDFS.label, None))
    before = set(graph)
    validate_graph(graph, ONTOLOGY)
    assert set(graph) == before


def test_subclass_instances_are_validated() -> None:
    """An instance of an amc:Actor subclass is checked by the actor shape (subclasses come from amicall.ttl)."""
    graph = good()
    graph.add((ID.mayor, RDF.type, AMC.Mayor))
    violations = validate_graph(graph, ONTOLOGY)
    assert [(v.focus_node, v.shape) for v in violations] == [(str(ID.mayor), "amcsh:ActorLabel")]


def test_violation_text_blocking_and_format() -> None:
    graph = good()
    graph.remove((ID.practice, RDFS.label, None))
    graph.remove((ID.catalyst, AMC.evidence, None))
    violations = validate_graph(graph, ONTOLOGY)
    assert len(violations) == 2
    assert blocking(violations) == violations
    text = format_violations(violations, limit=1)
    assert str(ID.catalyst) in text and "amcsh:CatalystEvidence" in text and "1 more" in text
    assert violations[0].to_dict()["focus_node"] == violations[0].focus_node
    warning = Violation("x", "s", None, "m", "Warning")
    assert blocking([warning]) == []


def _ontology_copy(tmp_path: Path) -> Path:
    for name in ("amicall.ttl", "vocabularies.ttl", "shapes.ttl"):
        shutil.copy(ONTOLOGY / name, tmp_path / name)
    return tmp_path


def test_vocabulary_sanity_is_checked(tmp_path: Path) -> None:
    """A concept without a definition, or an activity type without a group, is reported."""
    folder = _ontology_copy(tmp_path)
    path = folder / "vocabularies.ttl"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '    skos:broader ag:face-to-face-activities ;\n    skos:prefLabel "conflict mediation"',
        ('    skos:prefLabel "conflict mediation"'),
    )
    text += (
        "\n<https://w3id.org/amicall/vocab/goal/undefined> a skos:Concept ;"
        ' skos:inScheme amv:goal ; skos:prefLabel "undefined"@en .\n'
    )
    path.write_text(text, encoding="utf-8")
    violations = validate_graph(Graph(), folder)
    found = {(v.shape, v.focus_node, v.value) for v in violations}
    assert ("amcsh:ConceptDefinition", f"{VOCAB}goal/undefined", None) in found
    assert (
        "amcsh:ActivityTypeGroupShape",
        f"{VOCAB}activity-type",
        f"{VOCAB}activity-type/conflict-mediation",
    ) in found
    assert len(violations) == 2


def test_shipped_vocabulary_passes_its_own_sanity_check() -> None:
    assert validate_graph(Graph(), ONTOLOGY) == []


def test_missing_or_broken_ontology_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=r"amicall\.ttl"):
        validate_graph(good(), tmp_path)
    folder = _ontology_copy(tmp_path)
    (folder / "shapes.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"shapes\.ttl: not valid Turtle"):
        validate_graph(good(), folder)


def test_integer_offsets_typed_explicitly_are_accepted() -> None:
    graph = good()
    graph.set((ID.passage, AMC.start, Literal(5, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))))
    assert validate_graph(graph, ONTOLOGY) == []
