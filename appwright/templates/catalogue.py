"""The template catalogue: manifests under ``templates/<id>/template.json``.

A template is a folder of project files plus a ``template.json`` manifest describing how
to install, run and probe it. The catalogue is read once per process (templates ship with
the platform and do not change while it runs) and validated with pydantic, so a broken
manifest fails at startup rather than when someone creates a project.
"""

from __future__ import annotations

import json
import os
import shutil
from functools import cache
from pathlib import Path

import anyio
from pydantic import BaseModel, ConfigDict, Field

from appwright.core.errors import Conflict, ResourceNotFound

TEMPLATES_ROOT = Path(__file__).resolve().parents[2] / "templates"
"""Where the platform's templates live (``templates/`` at the repository root)."""

MANIFEST_NAME = "template.json"

# Never copied into a workspace: the manifest is catalogue metadata, the rest is output
# of a dev server or an install that may linger in a developer's checkout.
_NOT_COPIED = frozenset({MANIFEST_NAME, "node_modules", ".next", ".vite", "dist", "out"})


class PortSpec(BaseModel):
    """How the platform tells the dev server which port to listen on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    env: str | None = "PORT"
    """Environment variable carrying the port (``None``: not passed by env)."""
    arg: str | None = None
    """Command-line form, informative (the commands already contain ``{port}``)."""
    default: int = Field(default=3000, ge=1, le=65535)
    """The port the template listens on when none is given."""


class Readiness(BaseModel):
    """Probe telling when the dev server serves the page."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(default="/", pattern=r"^/")
    timeout_s: float = Field(default=60, gt=0)


class PublishSpec(BaseModel):
    """What publishing the template's apps serves."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    site: str | None = None
    """Folder of the static site ``build`` makes (``"."``: the files as they are, no
    build); ``None``: the app is a server (``start``) rather than files."""
    exclude: tuple[str, ...] = ()
    """Top-level names of ``site`` that are not part of it (the dev server, AI rules)."""
    spa: bool = False
    """Client-side routing: unknown paths without an extension answer ``index.html``."""


class Template(BaseModel):
    """A validated template manifest plus where its files are."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    name: str
    description: str
    stack: tuple[str, ...]
    default: bool = False
    package_manager: str | None = None
    install: str | None
    """Installs dependencies from the lock file (``None``: nothing to install)."""
    dev: str
    """Starts the dev server; ``{port}`` is replaced by the port chosen for it."""
    build: str | None
    start: str | None
    """Serves a production build (published apps); ``{port}`` as for ``dev``."""
    publish: PublishSpec = Field(default_factory=lambda: PublishSpec())
    port: PortSpec
    env: dict[str, str] = Field(default_factory=dict)
    """Extra environment of the dev and start processes."""
    readiness: Readiness = Field(default_factory=Readiness)
    rules_file: str = "AI_RULES.md"
    protected_paths: tuple[str, ...] = ()
    """Workspace paths the agent must not write (lock files, the platform's dev server)."""
    path: Path = Field(exclude=True)
    """The template's folder on the platform's disk."""

    # The sandbox's ``TemplateSpec`` protocol reads these names.
    @property
    def install_command(self) -> str | None:
        """Command installing the dependencies, or ``None`` when there are none."""
        return self.install

    @property
    def dev_command(self) -> str:
        """Dev server command with a ``{port}`` placeholder."""
        return self.dev

    @property
    def port_env(self) -> str | None:
        """Environment variable that carries the port, if any."""
        return self.port.env

    @property
    def readiness_path(self) -> str:
        """Path probed until the dev server answers."""
        return self.readiness.path

    @property
    def needs_install(self) -> bool:
        """Whether the template has dependencies (and so a package cache entry)."""
        return self.install is not None

    def dev_command_for(self, port: int) -> str:
        """The dev command for ``port``."""
        return self.dev.replace("{port}", str(port))

    def start_command_for(self, port: int) -> str | None:
        """The production start command for ``port``."""
        return self.start.replace("{port}", str(port)) if self.start else None

    def process_env(self, port: int) -> dict[str, str]:
        """Environment of the dev/start process: the template's env plus the port."""
        env = dict(self.env)
        if self.port.env:
            env[self.port.env] = str(port)
        return env

    def ai_rules(self) -> str:
        """The template's rules for the agent's system prompt."""
        return (self.path / self.rules_file).read_text(encoding="utf-8")


def load_template(folder: Path) -> Template:
    """Read and validate one template folder's manifest."""
    data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    # ``path`` is not part of the JSON: it is where the manifest was found.
    template = Template.model_validate({**data, "path": folder})
    if template.id != folder.name:
        raise ValueError(f"{folder}: manifest id {template.id!r} differs from the folder name")
    if not (folder / template.rules_file).is_file():
        raise ValueError(f"{folder}: rules file {template.rules_file} is missing")
    return template


@cache
def _catalogue(root: Path) -> dict[str, Template]:
    found: dict[str, Template] = {}
    for folder in sorted(root.iterdir()):
        if (folder / MANIFEST_NAME).is_file():
            template = load_template(folder)
            found[template.id] = template
    return found


def list_templates(root: Path = TEMPLATES_ROOT) -> list[Template]:
    """All templates, the default one first, then by name."""
    return sorted(_catalogue(root).values(), key=lambda t: (not t.default, t.name.lower()))


def get_template(template_id: str, root: Path = TEMPLATES_ROOT) -> Template:
    """The template ``template_id``; raises ``ResourceNotFound`` for an unknown id."""
    try:
        return _catalogue(root)[template_id]
    except KeyError:
        raise ResourceNotFound(f"There is no template called {template_id!r}.") from None


def _copy_tree(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise Conflict(f"Cannot create a project in {dest}: the folder is not empty.")
    for entry in os.scandir(src):
        if entry.name in _NOT_COPIED:
            continue
        target = dest / entry.name
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, target, symlinks=True)
        else:
            shutil.copy2(entry.path, target, follow_symlinks=False)


async def materialise(template_id: str, dest_dir: Path, root: Path = TEMPLATES_ROOT) -> Template:
    """Copy the template's files (without dependencies) into the empty ``dest_dir``.

    The template folders are small (tens of kB); dependencies come from the package cache
    through ``link_dependencies``. Runs in a worker thread: file copies block.
    """
    template = get_template(template_id, root)
    await anyio.to_thread.run_sync(_copy_tree, template.path, dest_dir)
    return template
