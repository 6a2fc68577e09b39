"""Template manifests and materialising a workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from appwright.core.errors import Conflict, ResourceNotFound
from appwright.projects.schemas import TemplateId
from appwright.projects.templates import TEMPLATE_IDS
from appwright.templates import TEMPLATES_ROOT, get_template, list_templates, materialise

pytestmark = pytest.mark.anyio


def test_catalogue_lists_the_four_templates_default_first() -> None:
    templates = list_templates()
    assert templates[0].id == "nextjs"
    assert {t.id for t in templates} == {"nextjs", "react-vite", "vue-vite", "static"}


def test_the_api_names_exactly_the_templates_on_disk() -> None:
    # The API's template type, the ids projects accept and the folders with a manifest.
    on_disk = {t.id for t in list_templates()}
    assert set(get_args(TemplateId)) == on_disk
    assert on_disk == TEMPLATE_IDS


@pytest.mark.parametrize("template_id", ["nextjs", "react-vite", "vue-vite", "static"])
def test_manifest_is_complete(template_id: str) -> None:
    template = get_template(template_id)
    assert "{port}" in template.dev
    assert "0.0.0.0" in template.dev_command_for(4000)  # noqa: S104 (the sandbox veth)
    assert "4000" in template.dev_command_for(4000)
    assert template.process_env(4000)["PORT"] == "4000"
    assert template.readiness_path.startswith("/")
    assert len(template.ai_rules()) > 200
    if template.needs_install:
        package = json.loads((template.path / "package.json").read_text())
        lock = json.loads((template.path / "package-lock.json").read_text())
        # Exact pins: the lock and the cache key stay meaningful.
        for deps in (package.get("dependencies", {}), package.get("devDependencies", {})):
            for name, version in deps.items():
                assert version[0].isdigit(), f"{name} is not pinned: {version}"
        assert lock["packages"][""]["dependencies"] == package.get("dependencies", {})
    else:
        assert not (template.path / "package.json").exists()


def test_nextjs_is_preview_ready() -> None:
    path = TEMPLATES_ROOT / "nextjs"
    assert "allowedDevOrigins" in (path / "next.config.mjs").read_text()
    assert get_template("nextjs").env["NEXT_TELEMETRY_DISABLED"] == "1"
    components = json.loads((path / "components.json").read_text())
    assert components["tailwind"]["cssVariables"] is True
    assert "export function cn" in (path / "lib" / "utils.ts").read_text()


@pytest.mark.parametrize("template_id", ["react-vite", "vue-vite"])
def test_vite_config_allows_the_gateway(template_id: str) -> None:
    config = (TEMPLATES_ROOT / template_id / "vite.config.ts").read_text()
    assert "allowedHosts: true" in config
    assert 'host: "0.0.0.0"' in config
    assert 'cacheDir: ".vite"' in config  # never write into the shared node_modules


def test_unknown_template() -> None:
    with pytest.raises(ResourceNotFound):
        get_template("cobol")


async def test_materialise_copies_files_without_manifest(tmp_path: Path) -> None:
    dest = tmp_path / "ws"
    await materialise("react-vite", dest)
    assert (dest / "src" / "App.tsx").is_file()
    assert (dest / "AI_RULES.md").is_file()
    assert (dest / "package-lock.json").is_file()
    assert not (dest / "template.json").exists()
    assert not (dest / "node_modules").exists()
    with pytest.raises(Conflict):
        await materialise("react-vite", dest)
