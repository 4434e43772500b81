"""The package's errors (issue 16, item 2, first step): one ConfigError for every
bad setting, and the errors the commands report are all PosError."""
from __future__ import annotations

import pytest

from pos import errors
from pos.currency import CurrencyError
from pos.export import ExportError
from pos.journal import JournalError
from pos.report import ReportError
from pos.scanner.decode import DecodeConfig
from pos.scanner.profiles import ProfileError, load_profile
from pos.till.config import load_config
from pos.till.experiments import ExperimentError


def test_the_errors_the_commands_report_are_pos_errors():
    for error in (errors.DumpError, errors.LoadRefused, errors.LoadBusy, errors.StoreError,
                  errors.NativeError, errors.ConfigError, CurrencyError, ExportError,
                  JournalError, ReportError, ProfileError, ExperimentError):
        assert issubclass(error, errors.PosError), error


def test_a_bad_store_toml_and_a_bad_decoder_setting_raise_the_same_config_error(tmp_path):
    toml = tmp_path / "store.toml"
    toml.write_text("[suggestions]\ncards = 9\n")
    with pytest.raises(errors.ConfigError, match=r"store\.toml: \[suggestions\] cards"):
        load_config(toml)
    with pytest.raises(errors.ConfigError, match="field 'country'"):
        DecodeConfig(country="Norway")


def test_a_missing_profile_is_a_pos_error_and_still_a_value_error(tmp_path):
    with pytest.raises(errors.PosError, match="cannot read"):
        load_profile(tmp_path / "none.json")
    with pytest.raises(ValueError):
        load_profile(tmp_path / "none.json")
