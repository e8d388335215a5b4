"""Pages whose body the content model has rendered already: MkDocs gets nothing more to convert.

MkDocs builds a new Python-Markdown instance for every page it renders, which at 10,000 items costs
several seconds, although every page the site publishes reaches MkDocs with an empty source
(``on_page_read_source``): the model renders bodies once, and ``on_page_content`` puts them on
the page. A ``BodylessPage`` gives the result of converting nothing without building the converter.
"""

from __future__ import annotations

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc


class BodylessPage(Page):
    def render(self, config, files) -> None:
        if self.markdown:  # not one of ours after all: MkDocs converts it as always
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def make_bodyless(files) -> None:
    """Every page MkDocs made for ``files`` (with the nav's titles) becomes a BodylessPage."""
    for file in files.documentation_pages():
        if type(file.page) is Page:
            file.page.__class__ = BodylessPage
