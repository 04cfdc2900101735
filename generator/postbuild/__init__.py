"""Steps run on the built site (``site/``), after MkDocs or another builder has written the HTML.

``python -m generator.postbuild SITE_DIR`` explains each abbreviation at its first use on a page,
without JavaScript (:mod:`generator.postbuild.tooltips`), adds a Content-Security-Policy to every
page (:mod:`generator.postbuild.csp`), then writes the service worker that makes the site work
offline (:mod:`generator.postbuild.offline`, Workbox through Node). It reads and writes only files
under SITE_DIR, so it does not depend on the builder; running it twice gives the same result.
"""
