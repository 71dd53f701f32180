"""Run every benchmark module of this package (each has a ``main()``), in name order."""

import importlib
import pkgutil

import benchmarks


def main():
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        if hasattr(module, "main"):
            print(f"== benchmarks.{info.name}")
            module.main()
            print()


if __name__ == "__main__":
    main()
