from pathlib import Path

import pytest

from amicall_kg.errors import SettingsError
from amicall_kg.settings import SETTINGS, load_settings


def test_every_setting_has_help_and_a_default_of_its_type() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for s in SETTINGS:
        assert s.help.strip(), s.name
        assert isinstance(s.default, s.type), s.name


def test_precedence_default_then_environment_then_override() -> None:
    default = load_settings(env={})
    assert default.sparql_timeout == 10.0
    from_env = load_settings(env={"AMICALL_SPARQL_TIMEOUT": "3.5"})
    assert from_env.sparql_timeout == 3.5
    from_option = load_settings(env={"AMICALL_SPARQL_TIMEOUT": "3.5"}, overrides={"sparql_timeout": 1})
    assert from_option.sparql_timeout == 1.0


def test_option_left_out_falls_through_to_environment() -> None:
    s = load_settings(env={"AMICALL_CORPUS": "/tmp/c"}, overrides={"corpus": None})
    assert s.corpus == Path("/tmp/c")


def test_booleans_and_bad_values() -> None:
    assert load_settings(env={"AMICALL_CORS": "yes"}).cors is True
    assert load_settings(env={"AMICALL_CORS": "0"}).cors is False
    with pytest.raises(SettingsError, match="AMICALL_TOP_K"):
        load_settings(env={"AMICALL_TOP_K": "many"})
    with pytest.raises(SettingsError, match="Unknown setting"):
        load_settings(env={}, overrides={"no_such_thing": 1})


def test_replace_keeps_types() -> None:
    s = load_settings(env={}).replace(top_k="7")
    assert s.top_k == 7
