"""setuptools hook for the cffi build (cffi_modules has no pyproject.toml form)."""
from setuptools import setup

setup(cffi_modules=["native/build_native.py:ffibuilder"])
