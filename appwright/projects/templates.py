"""The template ids a project may be created from (the catalogue with manifests lives in
``appwright/templates``; this list is what the project records accept)."""

from __future__ import annotations

from appwright.projects.schemas import TemplateRead

TEMPLATE_CHOICES: tuple[TemplateRead, ...] = (
    TemplateRead(
        id="nextjs",
        name="Next.js",
        description="Next.js 15 with the Pages Router, TypeScript, Tailwind CSS and shadcn/ui.",
        tags=["react", "typescript", "tailwind", "fullstack"],
    ),
    TemplateRead(
        id="react-vite",
        name="React + Vite",
        description="A React single-page app with Vite, TypeScript and Tailwind CSS.",
        tags=["react", "typescript", "tailwind", "spa"],
    ),
    TemplateRead(
        id="vue-vite",
        name="Vue + Vite",
        description="A Vue 3 single-page app with Vite and TypeScript.",
        tags=["vue", "typescript", "spa"],
    ),
    TemplateRead(
        id="static",
        name="Static site",
        description="Plain HTML, CSS and JavaScript. Nothing to install.",
        tags=["html", "css", "javascript"],
    ),
)

TEMPLATE_IDS = frozenset(t.id for t in TEMPLATE_CHOICES)
