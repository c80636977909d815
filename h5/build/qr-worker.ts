import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Plugin } from 'vite'

const ID = 'virtual:qr-worker-url'
const RESOLVED = '\0' + ID

/**
 * qr-scanner ships its decoder worker as source text inside a module that starts it from a blob: URL, which
 * our Content-Security-Policy (worker-src falls back to script-src 'self') refuses — scanning would fail in
 * the built app and nowhere else. This plugin takes that source text at build time and emits it as an
 * ordinary hashed file of the build: the worker is then same-origin, cached for a year and precached by the
 * service worker for the offline gate. `virtual:qr-worker-url` is its URL (null in the dev server, where
 * there is no CSP and qr-scanner's own loader works).
 */
export function qrWorkerAsFile(): Plugin {
  let serve = false
  return {
    name: 'qr-worker-as-file',
    configResolved(c) {
      serve = c.command === 'serve'
    },
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null
      if (serve) return 'export default null'
      const file = createRequire(import.meta.url).resolve('qr-scanner/qr-scanner-worker.min.js')
      const module = readFileSync(file, 'utf8')
      const start = module.indexOf('new Blob([`')
      const end = module.lastIndexOf('`]')
      if (start < 0 || end < start) throw new Error(`qr-scanner's worker module changed shape: ${file}`)
      // The text is a template literal with escapes (\` and \${): let JavaScript read it as one.
      const source = new Function(`return ${module.slice(start + 'new Blob(['.length, end + 1)}`)() as string
      const ref = this.emitFile({ type: 'asset', name: 'qr-worker.js', source })
      return `export default import.meta.ROLLUP_FILE_URL_${ref}`
    },
  }
}
