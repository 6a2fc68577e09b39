"""Project templates: the catalogue of ``templates/<id>/`` and the shared package cache."""

from appwright.templates.cache import (
    LinkResult,
    detach_dependencies,
    link_dependencies,
    lock_hash,
    prepare_cache,
)
from appwright.templates.catalogue import (
    TEMPLATES_ROOT,
    Template,
    get_template,
    list_templates,
    materialise,
)

__all__ = [
    "TEMPLATES_ROOT",
    "LinkResult",
    "Template",
    "detach_dependencies",
    "get_template",
    "link_dependencies",
    "list_templates",
    "lock_hash",
    "materialise",
    "prepare_cache",
]
