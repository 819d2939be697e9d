// The counter page's service worker: keeps /counter, its script and the stylesheet so that the page opens
// again while the connection is down (network first, the last good copy otherwise), and the QR reader the
// page imports when the camera opens without BarcodeDetector, so that scanning works offline too. API calls
// pass through.
const CACHE = 'counter-v1';
const KEEP = ['/counter', '/static/counter.js', '/static/counter-qr.js', '/static/site.css'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(KEEP)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !KEEP.includes(url.pathname)) return;
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(url.pathname, copy));
        }
        return res;
      })
      .catch(() => caches.match(url.pathname).then((hit) => hit ?? Response.error())),
  );
});
