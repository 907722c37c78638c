"""Rendering: policy set → Markdown pages and HTML fragments, through Jinja2 templates."""

from ..pages import PAGES, GeneratedPage
from .pages import render_pages
from .renderer import FRAGMENTS, Renderer, TemplateProblem

__all__ = ["FRAGMENTS", "PAGES", "GeneratedPage", "Renderer", "TemplateProblem", "render_pages"]
