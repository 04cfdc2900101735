// What the site's service worker does beyond Workbox's generated precache and routes; written to
// the site as sw-extra.js by generator/postbuild/offline.py (after a first line that sets
// self.HTF_BUILD) and loaded by sw.js with importScripts, before Workbox's own code.
//
// self.HTF_BUILD = {contentDate, build, runtimeCache, runtimePrefix, runtimeFiles}:
//   contentDate    the guideline content's date ("last reviewed"), shown by the update prompt
//   build          a short hash of every precached file's revision
//   runtimeCache   the cache for the Python runtime, named after a hash of its files
//   runtimeFiles   paths (from the site root) that one use of the walkthrough or a case needs
//
// Messages (from assets/javascripts/offline.mjs), answered on the MessageChannel port given:
//   {type: "HTF_BUILD_INFO"}      -> {contentDate, build}
//   {type: "HTF_CACHE_RUNTIME"}   -> {cached: true} once every runtime file is in the cache
//   {type: "HTF_RUNTIME_CACHED"}  -> {cached: boolean}, without fetching anything
// A page's first runtime may start before this worker controls it, so its downloads can bypass
// the runtime route: HTF_CACHE_RUNTIME fetches what is missing (usually from the HTTP cache).

/* global self, caches */
const HTF = self.HTF_BUILD;
const runtimeURL = (path) => new URL(path, self.registration.scope).href;

async function runtimeCached() {
  const cache = await caches.open(HTF.runtimeCache);
  const found = await Promise.all(HTF.runtimeFiles.map((p) => cache.match(runtimeURL(p))));
  return found.every(Boolean);
}

async function cacheRuntime() {
  const cache = await caches.open(HTF.runtimeCache);
  for (const path of HTF.runtimeFiles) {
    const url = runtimeURL(path);
    if (!(await cache.match(url))) await cache.add(url); // one at a time: gentle on mobile data
  }
  return true;
}

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  const port = event.ports?.[0];
  const reply = (value) => port?.postMessage(value);
  if (type === "HTF_BUILD_INFO") {
    reply({ contentDate: HTF.contentDate, build: HTF.build });
  } else if (type === "HTF_RUNTIME_CACHED") {
    event.waitUntil(runtimeCached().then((cached) => reply({ cached })));
  } else if (type === "HTF_CACHE_RUNTIME") {
    event.waitUntil(
      cacheRuntime().then(
        () => reply({ cached: true }),
        (error) => reply({ cached: false, message: String(error) }),
      ),
    );
  }
});

// Runtime caches of earlier builds (other hashes) go once this build's worker takes over.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(
        keys
          .filter((key) => key.startsWith(HTF.runtimePrefix) && key !== HTF.runtimeCache)
          .map((key) => caches.delete(key)),
      ),
    ),
  );
});
