"""Rendering: policy set → Markdown pages and HTML fragments, through Jinja2 templates."""

from .renderer import FRAGMENTS, Renderer, TemplateProblem
from ..pages import PAGES
from .pages import GeneratedPage, render_pages

__all__ = ["FRAGMENTS", "PAGES", "GeneratedPage", "Renderer", "render_pages", "TemplateProblem"]
