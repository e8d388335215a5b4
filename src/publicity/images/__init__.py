"""The image pipeline: what the site publishes for the photos staff put next to their Markdown.

Staff photos come from phones: 4000×3000, several megabytes, turned by an
EXIF orientation tag and carrying the GPS position where they were taken.
For every raster image in the content (JPEG, PNG, WebP) this module writes,
into a cache folder outside ``docs/`` and ``site/``:

- the picture turned upright, in 8-bit sRGB, re-encoded with no metadata at
  all (no EXIF, GPS, XMP, comment or ICC profile);
- within ``images.max_width`` x ``images.max_height``, plus the smaller configured widths for
  ``srcset``, each also as WebP (a picture already small keeps its size);
- for news covers, a small cropped thumbnail for the listings.

The files in ``docs/`` are only ever read; GIF and SVG are not touched.
Work is cached by content hash and settings, so an unchanged image costs one
hash on the next build. A bad image (damaged, truncated, not an image, a
decompression bomb) is a ``Problem`` like any content error, never an
exception, and every one is reported in the same run.

The package's parts: ``pipeline`` (which images, all problems), ``pixels``
(the Pillow work), ``cache`` (processed versions by key), ``naming`` (where
each version is published) and ``markup`` (``<picture>`` on pages). Nothing
here knows MkDocs: the adapter turns the published versions into MkDocs
files. (Missing images, alt text and oversized originals are the checker's.)
"""

from .cache import ContentHashes, cache_folder
from .markup import ImageIndex, ImagesExtension
from .pipeline import content_jobs, process_images, publish_images, verify_images
from .types import BadImage, ImageJob, Outcome, Published, Version, is_image, is_raster

__all__ = ["BadImage", "ContentHashes", "ImageIndex", "ImageJob", "ImagesExtension", "Outcome", "Published", "Version",
           "cache_folder", "content_jobs", "is_image", "is_raster", "process_images", "publish_images", "verify_images"]
