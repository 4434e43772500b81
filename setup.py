"""setuptools hooks that have no pyproject.toml form: the cffi build of the C core,
the packages (hardware/ installed as pos_hardware), and compiling the UI translations (pos/i18n/locale/*/LC_MESSAGES/pos.po) to pos.mo
in the build directory, so an installed pos reads ready .mo catalogs. (An editable
install or a checkout compiles the .po in memory instead: pos.i18n.translations.)
Babel is a build requirement (pyproject.toml [build-system] requires)."""
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

LOCALE = Path("pos") / "i18n" / "locale"       # relative: setuptools runs in the project root


def catalogs() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/pos.po"))


class build_py_with_catalogs(build_py):
    """build_py, then every pos.po compiled to pos.mo beside its copy in build_lib."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            self.compile_catalogs()

    def compile_catalogs(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in catalogs():
            with po.open("rb") as f:
                catalog = read_po(f, locale=po.parent.parent.name, abort_invalid=True)
            mo = Path(self.build_lib) / po.with_suffix(".mo")
            self.mkpath(str(mo.parent))
            with mo.open("wb") as f:
                write_mo(f, catalog)
            self.announce(f"compiling {po} -> {mo}", level=2)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if not self.editable_mode:
            outputs += [str(Path(self.build_lib) / po.with_suffix(".mo")) for po in catalogs()]
        return outputs


setup(cffi_modules=["native/build_native.py:ffibuilder"],
      cmdclass={"build_py": build_py_with_catalogs},
      # hardware/ (the scanner emulator, the device profiles) installs as pos_hardware
      packages=find_packages(include=["pos", "pos.*"]) + ["pos_hardware"],
      package_dir={"pos_hardware": "hardware"})
