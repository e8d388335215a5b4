"""The end of a build for the web server: precompressed files and the CSP's script hashes (publicity.deploy).

The pages are finished while the search index is still being written (``finish_pages``, on the core
the pages no longer use), and the index once it is there (``finish_search``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from publicity.deploy import Finished, finish_folder, finish_site
from publicity.search.indexer import OUTPUT_DIR as SEARCH_FOLDER

log = logging.getLogger("mkdocs.publicity")


def finish_pages(site_dir: str) -> Finished:
    return finish_site(Path(site_dir), later=SEARCH_FOLDER)


def finish_search(site_dir: str, pages: Finished) -> None:
    done = finish_folder(Path(site_dir), SEARCH_FOLDER, pages)
    saved = 1 - done.bytes_out / done.bytes_in if done.bytes_in else 0
    log.info(f"压缩：{done.compressed} 个文件预先压缩（.gz，小 {saved:.0%}）；页面内联脚本 {len(done.hashes)} 种，"
             "其哈希写入内容安全策略（deploy/nginx）")
