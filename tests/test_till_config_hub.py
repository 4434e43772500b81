"""store.toml's [hub]: a url and the till's token (inline or in a file beside
store.toml); every bad value is refused naming the field, and no [hub] is no hub."""
from __future__ import annotations

import pytest

from pos.errors import ConfigError
from pos.till.config import load_config


def config_of(tmp_path, text: str):
    path = tmp_path / "store.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_no_hub_section_is_no_hub(tmp_path):
    assert config_of(tmp_path, "[till]\nid = 't1'\n").hub is None


def test_a_hub_with_its_token_inline_or_in_a_file(tmp_path):
    hub = config_of(tmp_path, '[hub]\nurl = "http://10.0.0.5:8700/"\ntoken = "abc-DEF_1"\n').hub
    assert hub is not None and (hub.url, hub.token) == ("http://10.0.0.5:8700", "abc-DEF_1")
    assert "abc-DEF_1" not in repr(hub)
    (tmp_path / "hub-token").write_text("s3cret\n")
    hub = config_of(tmp_path, '[hub]\nurl = "https://hub.shop:8700"\ntoken_file = "hub-token"\n').hub
    assert hub is not None and (hub.url, hub.token) == ("https://hub.shop:8700", "s3cret")


@pytest.mark.parametrize("text, message", [
    ('[hub]\ntoken = "x"\n', r"\[hub\] url is needed"),
    ('[hub]\nurl = "http://h:1"\n', "one of token or token_file is needed"),
    ('[hub]\nurl = "http://h:1"\ntoken = "x"\ntoken_file = "f"\n', "not both"),
    ('[hub]\nurl = "ftp://h"\ntoken = "x"\n', "http:// or https://"),
    ('[hub]\nurl = "http://h:1/v1/sales"\ntoken = "x"\n', "http:// or https://"),
    ('[hub]\nurl = "http://"\ntoken = "x"\n', "http:// or https://"),
    ('[hub]\nurl = "http://h:99999"\ntoken = "x"\n', r"url 'http://h:99999'"),
    ('[hub]\nurl = 8700\ntoken = "x"\n', r"\[hub\] url: a str expected"),
    ('[hub]\nurl = "http://h"\ntoken = ""\n', r"\[hub\] token: the till's token"),
    ('[hub]\nurl = "http://h"\ntoken = "two words"\n', r"\[hub\] token: the till's token"),
    ('[hub]\nurl = "http://h"\ntoken_file = "missing"\n', "token_file .*missing: cannot read"),
    ('[hub]\nurl = "http://h"\ntoken = "x"\nretry = 3\n', r"\[hub\] unknown field 'retry'"),
    ('hub = "http://h"\n', r"\[hub\] must be a table"),
])
def test_bad_hub_values_are_refused_naming_the_field(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        config_of(tmp_path, text)


def test_an_empty_token_file_is_refused(tmp_path):
    (tmp_path / "hub-token").write_text("\n")
    with pytest.raises(ConfigError, match="token_file .*hub-token: the till's token"):
        config_of(tmp_path, '[hub]\nurl = "http://h"\ntoken_file = "hub-token"\n')
