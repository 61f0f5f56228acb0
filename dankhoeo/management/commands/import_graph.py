"""``manage.py import_graph``: the imports between the apps, read from the code (ast), as text
or as Graphviz DOT. ARCHITECTURE.md shows its output; ``make graph`` runs it."""

import ast
import configparser
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

PACKAGES = ["dankhoeo", "villages", "criteria", "assignments", "reports"]


def base_modules(root: Path) -> set[str]:
    """The modules of dankhoeo/ that are the base: the sources of .importlinter's base contract."""
    config = configparser.ConfigParser()
    config.read(root / ".importlinter")
    return set(config["importlinter:contract:base"]["source_modules"].split())


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(root: Path, path: Path) -> set[str]:
    """The first-party modules a file imports, at any depth of the file (lazy imports too)."""
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    # ``from criteria import services`` names criteria.services: the bare package is no edge
    return {m for m in found if m.split(".")[0] in PACKAGES and "." in m}


def node_of(module: str, base: set[str], level: str) -> str:
    parts = module.split(".")
    if level == "module":
        return ".".join(parts[:2])
    if parts[0] == "dankhoeo" and len(parts) > 1:
        return "dankhoeo (base)" if ".".join(parts[:2]) in base else "dankhoeo (project)"
    return parts[0]


def import_graph(root: Path, level: str = "app") -> dict[tuple[str, str], set[str]]:
    """{(importer, imported): the importing modules} between distinct nodes of the level."""
    base = base_modules(root)
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = module_name(root, path)
            for target in imports_of(root, path):
                edge = (node_of(source, base, level), node_of(target, base, level))
                if edge[0] != edge[1]:
                    edges[edge].add(".".join(source.split(".")[:2]))
    return dict(sorted(edges.items()))


class Command(BaseCommand):
    help = "Print the imports between the apps (or modules), read from the code."

    def add_arguments(self, parser):
        parser.add_argument("--level", choices=["app", "module"], default="app")
        parser.add_argument("--format", choices=["text", "dot"], default="text")

    def handle(self, *args, level, format, **options):
        edges = import_graph(Path(settings.BASE_DIR), level)
        if format == "dot":
            self.stdout.write("digraph imports {\n  rankdir=BT;\n  node [shape=box];")
            for source, target in edges:
                self.stdout.write(f'  "{source}" -> "{target}";')
            self.stdout.write("}")
            return
        for (source, target), importers in edges.items():
            via = f"  ({', '.join(sorted(importers))})" if level == "app" else ""
            self.stdout.write(f"{source} -> {target}{via}")
