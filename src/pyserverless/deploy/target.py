"""The Lambda platform a package is built for: Python runtime, CPU architecture, and the wheels that fit them.

Each Lambda Python runtime runs on a fixed Amazon Linux, hence a fixed glibc: python3.10 and python3.11 on
Amazon Linux 2 (glibc 2.26), python3.12 and later on Amazon Linux 2023 (glibc 2.34). A manylinux wheel runs
there when its glibc is not newer. pip does not expand `manylinux2014` into the newer `manylinux_2_X` tags, so
every tag up to the runtime's glibc is passed to pip explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyserverless.errors import UserError

#: Lambda's Python runtimes this runtime code supports, with the glibc version (major, minor) of their OS.
RUNTIME_GLIBC: dict[str, tuple[int, int]] = {
    "python3.10": (2, 26),
    "python3.11": (2, 26),
    "python3.12": (2, 34),
    "python3.13": (2, 34),
    "python3.14": (2, 34),
}
DEFAULT_RUNTIME = "python3.12"
#: Lambda architecture name -> machine name in wheel tags.
ARCH_MACHINE = {"x86_64": "x86_64", "arm64": "aarch64"}
DEFAULT_ARCH = "x86_64"
#: Legacy manylinux aliases and the glibc version each stands for.
_LEGACY_TAGS = {"manylinux2014": (2, 17), "manylinux2010": (2, 12), "manylinux1": (2, 5)}


@dataclass(frozen=True)
class LambdaTarget:
    """A Lambda runtime name ("python3.12") and architecture ("x86_64" or "arm64")."""

    runtime: str = DEFAULT_RUNTIME
    arch: str = DEFAULT_ARCH

    def __post_init__(self) -> None:
        if self.runtime not in RUNTIME_GLIBC:
            raise UserError(
                f"Unsupported runtime {self.runtime!r}.",
                hint=f"Use one of {', '.join(RUNTIME_GLIBC)} (default {DEFAULT_RUNTIME}).",
            )
        if self.arch not in ARCH_MACHINE:
            raise UserError(
                f"Unsupported architecture {self.arch!r}.",
                hint=f"Use --arch x86_64 or --arch arm64 (default {DEFAULT_ARCH}).",
            )

    @property
    def python_version(self) -> str:
        """ "3.12" for "python3.12"."""
        return self.runtime.removeprefix("python")

    @property
    def machine(self) -> str:
        return ARCH_MACHINE[self.arch]

    @property
    def glibc(self) -> tuple[int, int]:
        return RUNTIME_GLIBC[self.runtime]

    def platform_tags(self) -> list[str]:
        """Every manylinux platform tag whose wheels run on this target, newest first."""
        major, newest = self.glibc
        oldest = 5 if self.machine == "x86_64" else 17
        tags = [f"manylinux_{major}_{minor}_{self.machine}" for minor in range(newest, oldest - 1, -1)]
        tags += [
            f"{alias}_{self.machine}"
            for alias, (_, minor) in _LEGACY_TAGS.items()
            if minor >= oldest and minor <= newest
        ]
        return tags

    def describe(self) -> str:
        return f"CPython {self.python_version}, manylinux {self.arch} (glibc {self.glibc[0]}.{self.glibc[1]})"
