// node generator/postbuild/build-sw.mjs SITE_DIR CONFIG_JSON: writes SITE_DIR/sw.js with
// Workbox's generateSW (build time only; the site ships the generated worker, not Workbox's npm
// package). Called by generator/postbuild/offline.py, which passes the settings below as JSON:
// {cacheId, runtimeCache, precacheIgnore}. Prints Workbox's count and size of precached files.
import { generateSW } from "workbox-build";

const [siteDir, configJSON] = process.argv.slice(2);
const config = JSON.parse(configJSON);

const { count, size, warnings } = await generateSW({
  swDest: `${siteDir}/sw.js`,
  globDirectory: siteDir,
  // The shell and every page: HTML, styles, scripts, the search index, sitemap, manifest, icons.
  globPatterns: ["**/*.{html,css,js,mjs,json,xml,webmanifest,png,svg}"],
  globIgnores: config.precacheIgnore,
  cacheId: config.cacheId,
  importScripts: ["sw-extra.js"],
  inlineWorkboxRuntime: true,
  mode: "production",
  sourcemap: false,
  // A new build waits for the reader's "reload" (assets/javascripts/offline.mjs): never a
  // silent swap of clinical text. The first install takes the open page at once.
  skipWaiting: false,
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  directoryIndex: "index.html",
  ignoreURLParametersMatching: [/.*/], // pages are static: a query never changes the answer
  navigateFallback: null,
  runtimeCaching: [
    {
      // The Python runtime and the logic bundle: versioned folders, fetched on first use.
      urlPattern: /\/assets\/(pyodide|logic)\/[^/]+\/[^/]+$/,
      handler: "CacheFirst",
      options: { cacheName: config.runtimeCache },
    },
  ],
});
for (const warning of warnings) console.error(`workbox: ${warning}`);
console.log(JSON.stringify({ count, size }));
