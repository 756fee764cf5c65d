"""The layout holds: every module can be imported first, in a fresh interpreter; the layers
contract (`.importlinter`, run by `make lint`) catches an upward import; and only entry
points commit."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.contracts import PatternLayersContract

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "webapp"

# Run in a fresh interpreter: the third-party and standard-library modules webapp names are
# loaded once (never a webapp module), webapp's sources are compiled once into a private
# bytecode cache (PYTHONDONTWRITEBYTECODE would have every child compile them again), then
# every module is imported first in a forked child of its own, which reports a failure by
# name, or else the webapp modules its import added. The children skip the garbage collector:
# each lives for one import.
#
# The parent then imports a module that passed (so later children start with it loaded) once
# every webapp module its import adds has passed its own check, and never before: each
# module is still checked with nothing of its own loaded. Loaded this way, the parent's webapp
# modules are always a set closed under import (a module's import adds only modules that
# import nothing outside the set), so they never import a module outside it, and a module
# imported into it was imported as it would be first. A child's import therefore runs as it
# would in a fresh interpreter, with those imports of already checked modules left out: a
# module partly made when the child's import reaches it again (a cycle) is never one of them,
# since none of them imports it. The names come dependencies first (fewest webapp modules
# reachable through the import statements), so the models and the core are loaded once, not
# in each child. `test_preloading_never_hides_a_module_that_only_imports_second` shows it.
FIRST_IMPORT = r"""
import gc, importlib, os, py_compile, shutil, sys, tempfile, traceback
from pathlib import Path
package, names = Path(sys.argv[1]), sys.argv[2:]
for line in sys.stdin.read().split():
    try:
        importlib.import_module(line)
    except ImportError:
        pass  # the child importing the module that needs it reports it


def ours():
    return {name for name in sys.modules if name.split(".")[0] == package.name}


assert not ours()
sys.pycache_prefix, sys.dont_write_bytecode = tempfile.mkdtemp(), False
for path in package.rglob("*.py"):
    py_compile.compile(str(path.resolve()), doraise=True)
gc.collect()
gc.freeze()
failed, checked, added, preloaded = [], set(), {}, []
for name in names:
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        gc.disable()
        before = ours()
        try:
            importlib.import_module(name)
        except BaseException:
            print(f"--- {name}", file=sys.stderr)
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os.write(writing, " ".join(ours() - before).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        news = set(pipe.read().split())
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
        continue
    checked.add(name)
    added[name] = news
    for passed in list(added):  # load what passed once all it adds has passed too
        news = added[passed] - ours()
        if news <= checked:
            before = ours()
            importlib.import_module(passed)
            assert ours() - before == news, (passed, news, ours() - before)
            preloaded.extend(sorted(news))
            del added[passed]
    gc.freeze()
shutil.rmtree(sys.pycache_prefix)
print(",".join(failed))
print(",".join(preloaded))
"""


def modules(package: Path = PACKAGE) -> list[str]:
    root = package.parent
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def outside_imports(package: Path) -> list[str]:
    """Every module outside `package` that its modules import by absolute name."""
    found: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
    return sorted(name for name in found if name.split(".")[0] != package.name)


def _outside_functions(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes run when the module is imported (the app factory imports inside itself)."""
    for node in ast.iter_child_nodes(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield node
            yield from _outside_functions(node)


def dependencies_first(package: Path, names: list[str]) -> list[str]:
    """`names`, those that reach fewer of the package's modules through their import
    statements first (the order only decides how much the parent preloads, never what a
    child checks)."""
    root = package.parent
    imports: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found = {".".join(parts[:n]) for n in range(1, len(parts))}  # its packages
        for node in _outside_functions(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        imports[name] = {f for f in found if f.split(".")[0] == package.name} - {name}

    def reach(name: str) -> int:
        seen, todo = set(), [name]
        while todo:
            for found in imports.get(todo.pop(), set()) - seen:
                seen.add(found)
                todo.append(found)
        return len(seen & imports.keys())

    return sorted(names, key=lambda name: (reach(name), name))


def imported_first(package: Path, names: list[str]) -> tuple[list[str], str, list[str]]:
    """The modules of `names` that fail when imported first, what they printed, and the
    modules the parent preloaded once they had passed."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_IMPORT, str(package), *dependencies_first(package, names)],
        cwd=package.parent,
        input="\n".join(outside_imports(package)),
        capture_output=True,
        text=True,
        timeout=480,  # a hang guard: on a 2-core machine shared by a busy suite, 240 s was hit
        check=True,
    )
    failed, preloaded = (line.split(",") for line in done.stdout.split("\n")[-3:-1])
    return [name for name in failed if name], done.stderr, [name for name in preloaded if name]


def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    names = modules()
    assert len(names) > 100
    failed, printed, preloaded = imported_first(PACKAGE, names)
    assert failed == [], printed[-4000:]
    assert "webapp.models" in preloaded  # loaded once, not in each child


def test_the_first_import_check_fails_a_module_that_only_imports_second(tmp_path: Path) -> None:
    # `loop.b` imports fine first (it runs `loop.a`, which finds it half-made but there);
    # `loop.a` first asks `loop.b` for X before `loop.a` has defined it. Imported in one
    # interpreter, `loop.a` would pass after `loop.b`: only a fresh child catches it.
    package = tmp_path / "loop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("import loop.b\nX = 1\n")
    (package / "b.py").write_text("from loop.a import X\n")
    failed, printed, _ = imported_first(package, ["loop", "loop.b", "loop.a"])
    assert failed == ["loop.a"]
    assert "--- loop.a" in printed and "ImportError" in printed


def test_preloading_never_hides_a_module_that_only_imports_second(tmp_path: Path) -> None:
    # `ring.b` passes first and its import adds `ring.z`; the parent must not load it before
    # `ring.z` has had its own check, which fails: `ring.z` first asks `ring.b`, which asks
    # `ring.z` for X before it is defined. `ring.base`, which imports nothing, is preloaded.
    package = tmp_path / "ring"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text("VALUE = 1\n")
    (package / "b.py").write_text("import ring.base\nfrom ring.z import X\n")
    (package / "z.py").write_text("import ring.base\nimport ring.b\nX = 1\n")
    names = ["ring", "ring.base", "ring.b", "ring.z"]
    assert dependencies_first(package, names) == names  # `ring.b` is checked first
    failed, printed, preloaded = imported_first(package, names)
    assert failed == ["ring.z"] and "--- ring.z" in printed and "ImportError" in printed
    assert preloaded == ["ring", "ring.base"]


def _imports_in_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("webapp"):
                found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {inner.module}")
    return found


def test_no_function_level_import_of_our_own_modules_outside_the_app_factory() -> None:
    # Such imports exist to dodge an import cycle; the layers leave none to dodge. The app
    # factory alone imports as it wires, so `import webapp.<module>` stays cheap.
    found = [
        line
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "__init__.py"
        for line in _imports_in_functions(path)
    ]
    assert found == []


# Modules that are entry points (pages, API, commands, jobs) may commit; nothing else does.
MAY_COMMIT = (
    "webapp/forms.py",  # run_service: the page's unit of work
    "webapp/cli.py",
    "webapp/demo/seed.py",  # a command: each replayed action is a transaction
    "webapp/demo/insights.py",  # the same command: delighted marks, practices, digests
    "webapp/notifications/push.py",  # a job: claims each notification before sending it
    "webapp/kudos/invitations.py",  # a job: one note per person
    "webapp/game/jobs.py",  # jobs: one organisation's seasons per transaction
    "webapp/digest/sending.py",  # a job: one digest per team and week, one per person
    "webapp/channels/delivery.py",  # a job: claims each channel post, records each attempt
    "webapp/setup/cli.py",  # commands: create-org, remove-demo (one transaction each)
    "webapp/admin/jobs.py",  # a job: a large people import, its progress per chunk
    "webapp/schedule.py",  # a periodic job: forgetting old serial locks
)


def test_only_entry_points_commit() -> None:
    committing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        entry = rel.endswith(("views.py", "pages.py", "recovery.py")) or "/api/" in rel
        if entry or rel in MAY_COMMIT:
            continue
        if ".commit()" in path.read_text():
            committing.append(rel)
    assert committing == []


class FakeGraph:
    """The bits of a grimp graph the contract reads."""

    def __init__(self, imports: dict[str, set[str]]) -> None:
        self.imports = imports
        self.modules = set(imports) | {m for targets in imports.values() for m in targets}

    def find_modules_directly_imported_by(self, module: str) -> set[str]:
        return self.imports.get(module, set())

    def get_import_details(self, importer: str, imported: str) -> list[dict[str, object]]:
        return [{"line_number": 1}]


def _contract() -> PatternLayersContract:
    return PatternLayersContract(
        name="test",
        session_options={"root_packages": ["app"]},
        contract_options={
            "layers": ["app.wiring", "app.*.views", "app.*.services", "app.models.*"],
            "views": "app.*.views",
        },
    )


@pytest.mark.parametrize(
    ("imports", "kept", "broken"),
    [
        ({"app.a.views": {"app.a.services", "app.models.x"}}, True, None),
        ({"app.models.x": {"app.a.services"}}, False, "upward"),
        ({"app.a.views": {"app.b.views"}}, False, "foreign_views"),
        ({"app.a.views": {"app.stray"}}, False, "unplaced"),
    ],
)
def test_the_layers_contract_catches_what_it_should(imports, kept, broken) -> None:
    check = _contract().check(FakeGraph(imports), verbose=False)
    assert check.kept is kept
    if broken:
        assert check.metadata[broken]


def test_the_contract_file_places_every_module() -> None:
    # The same config `make lint` runs: spot-check a few placements against the picture.
    contract = PatternLayersContract(
        name="layers",
        session_options=SimpleNamespace(),  # type: ignore[arg-type]
        contract_options={"layers": _layers_from_config()},
    )
    assert contract.layer_of("webapp.moments.views") == 1
    assert contract.layer_of("webapp.moments.services") == 2
    assert contract.layer_of("webapp.game.badges") == 3
    assert contract.layer_of("webapp.points.ledger") == 4
    assert contract.layer_of("webapp.models.moments") == 5
    assert all(contract.layer_of(name) is not None for name in modules())


def _layers_from_config() -> list[str]:
    text = (ROOT / ".importlinter").read_text().split("layers =", 1)[1]
    return [line.strip() for line in text.splitlines() if line.startswith("    ")]
