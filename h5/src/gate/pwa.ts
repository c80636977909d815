let started = false

/**
 * Registers the service worker (Workbox, generated at build) so the page that called this opens again with
 * no network. Called by the gate and pass pages only, once the page has loaded: the worker then precaches
 * the app shell in the background, and nothing of it weighs on anyone's first load.
 */
export function registerServiceWorker() {
  if (started || !('serviceWorker' in navigator) || import.meta.env.DEV) return
  started = true
  const go = () =>
    void import('workbox-window')
      .then(({ Workbox }) => new Workbox('/sw.js', { scope: '/' }).register())
      .catch(() => {
        started = false
      })
  if (document.readyState === 'complete') setTimeout(go, 0)
  else window.addEventListener('load', go, { once: true })
}
