import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'vite'

const EMBEDDED_FONT = /url\(\s*["']?data:font\/(woff2|woff|ttf|otf)(?:;charset=[\w-]+)?;base64,([A-Za-z0-9+/=]+)["']?\s*\)/g
/**
 * Vant's second source for its icon font, a protocol-relative URL on Alibaba's CDN (`//at.alicdn.com/…woff`).
 * Every browser we build for (es2019) takes the woff2 before it, so it is never needed; yet Chromium checks it
 * against the CSP when the stylesheet loads, and on a plain-http page it is an http font our `font-src` refuses:
 * a console error on every page, which Lighthouse counts against best practices. Over https it would be a
 * third-party request telling Alibaba who reads our pages.
 */
const CDN_FALLBACK = /\s*,\s*url\(\s*["']?(?:https?:)?\/\/at\.alicdn\.com\/[^)]*\)\s*format\(\s*["']?\w+["']?\s*\)/g

/**
 * Vant ships its icon font inside its CSS as a base64 data URL: 25 of the main CSS's 35 KB gzip, downloaded
 * and parsed before the first paint although the font is needed only once an icon is drawn. This writes
 * each embedded font to a file and points the CSS at it, so Vite emits it as a hashed asset: the browser
 * fetches it only when a glyph is used, in parallel, and keeps it cached (immutable) across CSS changes.
 * (`build.assetsInlineLimit` cannot help: Vite did not inline this font, Vant's published CSS already has.)
 */
export function fontsAsFiles(): Plugin {
  let dir = ''
  return {
    name: 'cc:fonts-as-files',
    enforce: 'pre',
    configResolved(config) {
      dir = path.join(config.cacheDir, 'fonts-as-files')
    },
    transform(code, id) {
      if (!/\.css($|\?)/.test(id) || !code.includes('data:font/')) return null
      return {
        code: code.replace(CDN_FALLBACK, '').replace(EMBEDDED_FONT, (_m, ext: string, base64: string) => {
          const bytes = Buffer.from(base64, 'base64')
          // One folder per content, named after the CSS's folder (`icon` for Vant's): emitted as icon-<hash>.woff2.
          const folder = path.join(dir, createHash('sha256').update(bytes).digest('hex').slice(0, 16))
          const file = path.join(folder, `${path.basename(path.dirname(id.split('?')[0]!))}.${ext}`)
          if (!existsSync(file)) {
            mkdirSync(folder, { recursive: true })
            writeFileSync(file, bytes)
          }
          // Vite resolves an absolute file path in url() and emits it under /assets with a content hash.
          return `url(${JSON.stringify(file)})`
        }),
        map: null,
      }
    },
  }
}
