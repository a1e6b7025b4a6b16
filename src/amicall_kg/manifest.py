"""A version's manifest: what it was built from, what it holds, and checksums of every file.

A build is a pure function of (corpus, ontology, settings, code, models). The manifest
records a hash of each, so the next build knows what changed, and a size + sha256 of every
file in the version, so a reader can tell a damaged version from a good one
(``load_version``). Everything here is cheap: no spaCy, torch or RDF library is imported.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import Report
from .errors import IntegrityError
from .settings import Settings
from .versions import MANIFEST, read_manifest, require_version

FORMAT = 1
PACKAGE_DIR = Path(__file__).resolve().parent
# Settings that cannot change what a build writes (paths are hashed by content; reading limits act
# at ingest, before the corpus is hashed; servers, queries and the app act at read time). Every other
# setting, including ones added later, counts as an input whose change triggers a full rebuild: the
# safe side.
NON_OUTPUT_SETTINGS = frozenset(
    {
        "corpus",
        "indexes",
        "ontology",
        "encoder_batch_size",
        "top_k",
        "max_file_mb",
        "max_pages",
        "max_text_chars",
        "max_unzipped_mb",
        "max_zip_ratio",
        "max_html_depth",
        "host",
        "port",
        "cors",
        "search_eval_dir",
    }
)
NON_OUTPUT_PREFIXES = ("read_", "sparql_", "app_", "serve_")
# Libraries whose version can change extraction, embeddings or the store.
LIBRARIES = ("spacy", "sentence-transformers", "torch", "faiss-cpu", "rdflib", "pyoxigraph", "pyshacl")
# Files the database may rewrite without changing its data (RocksDB's info log).
_UNCHECKED = ("LOG", "LOG.old")
_HASH_LIMIT = 64 * 1024 * 1024  # files above this size are checked by size only, unless deep=True


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_json(value: Any) -> str:
    return sha256_bytes(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))


# --- inputs -------------------------------------------------------------------------------


def report_fingerprint(report: Report) -> dict[str, str]:
    """Hashes of one report's text, metadata and page map: any change means re-extraction."""
    meta = {k: v for k, v in report.as_dict().items() if k != "path"}
    sidecar = report.path.with_name(report.path.name + ".pages.json")
    return {
        "sha256": report.sha256(),
        "meta_sha256": sha256_json(meta),
        "pages_sha256": sha256_file(sidecar) if sidecar.is_file() else "",
        "file": report.file,
        "title": report.title,
    }


def code_hash(package_dir: Path = PACKAGE_DIR) -> str:
    """sha256 over the package's files (modules and data), leaving out the CLI edge."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        rel = path.relative_to(package_dir)
        if not path.is_file() or "__pycache__" in rel.parts or rel.parts[0] == "cli" or path.suffix == ".pyc":
            continue
        digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def ontology_hashes(ontology: Path) -> dict[str, str]:
    """sha256 of every Turtle file of the ontology (classes, vocabularies, shapes)."""
    return {p.relative_to(ontology).as_posix(): sha256_file(p) for p in sorted(ontology.rglob("*.ttl"))}


def output_settings(settings: Settings) -> dict[str, Any]:
    return {
        k: v
        for k, v in sorted(settings.as_dict().items())
        if k not in NON_OUTPUT_SETTINGS and not k.startswith(NON_OUTPUT_PREFIXES)
    }


def _dist_version(name: str) -> str:
    for candidate in (name, name.replace("_", "-"), name.replace("-", "_")):
        try:
            return importlib.metadata.version(candidate)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


def _model(name: str) -> dict[str, str]:
    """A model named by package (its version) or by path (names and sizes of its files)."""
    path = Path(name).expanduser()
    if path.exists():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        listing = [(p.relative_to(path).as_posix(), p.stat().st_size) for p in files]
        return {"name": name, "path_sha256": sha256_json(listing)}
    return {"name": name, "version": _dist_version(name)}


def model_versions(settings: Settings) -> dict[str, Any]:
    return {
        "spacy_model": _model(str(settings.spacy_model)),
        "encoder_model": _model(str(settings.encoder_model)),
        "sentence_model": _sentence_model(str(settings.sentence_model)),
        "libraries": {lib: _dist_version(lib) for lib in LIBRARIES},
    }


def _sentence_model(folder: str) -> dict[str, Any] | None:
    from .practice_sentences import model_checksum

    return {"weights_sha256": model_checksum(Path(folder))} if folder else None


def build_inputs(settings: Settings) -> dict[str, Any]:
    """Everything besides the reports that a build's output depends on."""
    return {
        "format": FORMAT,
        "package": {"name": "amicall-kg", "version": _dist_version("amicall-kg"), "code_sha256": code_hash()},
        "ontology": ontology_hashes(settings.ontology),
        "settings": output_settings(settings),
        "models": model_versions(settings),
    }


def changed_inputs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Human-readable reasons why the previous build's inputs differ from these."""
    reasons = []
    labels = {
        "format": "the manifest format",
        "package": "the code of amicall_kg",
        "ontology": "the ontology",
        "settings": "settings",
        "models": "models or libraries",
    }
    for key, label in labels.items():
        if old.get(key) != new.get(key):
            detail = ""
            if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
                keys = sorted(k for k in set(old[key]) | set(new[key]) if old[key].get(k) != new[key].get(k))
                detail = f" ({', '.join(keys)})" if keys else ""
            reasons.append(f"{label} changed{detail}")
    return reasons


# --- checksums and loading ---------------------------------------------------------------


def _tracked(version: Path) -> list[Path]:
    return sorted(
        p
        for p in version.rglob("*")
        if p.is_file() and p.name != MANIFEST and not p.name.startswith(_UNCHECKED) and not p.name.endswith(".tmp")
    )


def checksum_files(version: Path) -> dict[str, dict[str, Any]]:
    """Size and sha256 of every file in a version folder (except the manifest itself)."""
    return {
        p.relative_to(version).as_posix(): {"size": p.stat().st_size, "sha256": sha256_file(p)}
        for p in _tracked(version)
    }


def verify_files(version: Path, files: Mapping[str, Mapping[str, Any]], deep: bool = False) -> None:
    """Check every listed file exists with its size and (files up to 64 MiB, or all if deep) its sha256."""
    for rel, expected in files.items():
        path = version / rel
        problem = ""
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            problem = "is missing"
        else:
            if size != expected.get("size"):
                problem = f"has {size} bytes, the manifest says {expected.get('size')}"
            elif (deep or size <= _HASH_LIMIT) and sha256_file(path) != expected.get("sha256"):
                problem = "does not match its sha256 checksum"
        if problem:
            raise IntegrityError(
                f"{path} {problem}: version {version.name} is damaged. Run `amicall-kg build --force` to rebuild it."
            )


@dataclass(frozen=True)
class Version:
    """A built version whose files were checked against its manifest."""

    name: str
    path: Path
    manifest: dict[str, Any]

    @property
    def built_at(self) -> str:
        return str(self.manifest.get("built_at", ""))

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.manifest.get("counts", {}))

    @property
    def report_ids(self) -> list[str]:
        return sorted(self.manifest.get("reports", {}))


def check_version(version: Path, deep: bool = False) -> Version:
    """Read a version's manifest and verify its checksums, or raise ``IntegrityError``."""
    manifest = read_manifest(version)
    files = manifest.get("files")
    if not isinstance(files, dict) or manifest.get("format") != FORMAT:
        raise IntegrityError(
            f"{version / MANIFEST} has no file checksums or an unknown format. Run `amicall-kg build --force`."
        )
    verify_files(version, files, deep=deep)
    return Version(name=version.name, path=version, manifest=manifest)


def load_version(indexes: Path, deep: bool = False) -> Version:
    """The version in service, checked against its manifest (``NoBuildError``/``IntegrityError`` otherwise)."""
    return check_version(require_version(indexes), deep=deep)


_VERIFIED: dict[Path, Version] = {}


def serving_version(indexes: Path) -> Path:
    """The folder of the version in service, its checksums verified once per process.

    Long-running readers (endpoint, app) call this per request: a new build is picked up
    as soon as it is published, and each version is checked only the first time it is seen.
    """
    folder = require_version(indexes)
    if folder not in _VERIFIED:
        _VERIFIED[folder] = check_version(folder)
    return folder


def write_manifest(version: Path, manifest: Mapping[str, Any]) -> None:
    """Write ``manifest.json`` last and atomically: its presence marks a complete version."""
    tmp = version / (MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, version / MANIFEST)
