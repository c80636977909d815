import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, ROOT, type TestApp } from '../helper.js'

/**
 * How the server hands out the built H5. A small dist laid out like Vite's (hashed files under /assets,
 * .br/.gz siblings as `pnpm build` writes them, the real favicon from h5/public) keeps this test
 * independent of a build; test/browser/first-load.test.ts checks the real build.
 */
const JS = `export const greeting = "崇川在线";\n${'console.log("防控漏洞随手拍");\n'.repeat(300)}`
const INDEX = '<!doctype html><html lang="zh-CN"><head><link rel="icon" href="/favicon.ico"><script type="module" src="/assets/index-AbC123xy.js"></script></head><body><div id="app"></div></body></html>'

let app: TestApp
let dist: string

function writeWithSiblings(rel: string, text: string) {
  const file = path.join(dist, rel)
  writeFileSync(file, text)
  writeFileSync(`${file}.br`, brotliCompressSync(text))
  writeFileSync(`${file}.gz`, gzipSync(text, { level: 9 }))
}

beforeAll(async () => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'cc-h5-dist-'))
  mkdirSync(path.join(dist, 'assets'))
  writeWithSiblings('index.html', INDEX)
  writeWithSiblings('assets/index-AbC123xy.js', JS)
  copyFileSync(path.join(ROOT, 'h5/public/favicon.ico'), path.join(dist, 'favicon.ico'))
  copyFileSync(path.join(ROOT, 'h5/public/robots.txt'), path.join(dist, 'robots.txt'))
  app = await createTestApp({ h5Dist: dist })
})
afterAll(async () => {
  await app?.close2()
  rmSync(dist, { recursive: true, force: true })
})

const get = (url: string, acceptEncoding?: string) => app.inject({ url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} })

describe('serving the H5', () => {
  describe('hashed assets under /assets', () => {
    it('sends the brotli file when the browser accepts br', async () => {
      const r = await get('/assets/index-AbC123xy.js', 'gzip, deflate, br')
      expect(r.statusCode).toBe(200)
      expect(r.headers['content-encoding']).toBe('br')
      expect(r.headers['content-type']).toMatch(/^(text|application)\/javascript/)
      expect(r.headers.vary).toMatch(/accept-encoding/i)
      expect(brotliDecompressSync(r.rawPayload).toString()).toBe(JS)
      expect(Number(r.headers['content-length'])).toBe(r.rawPayload.length)
      expect(r.rawPayload.length).toBeLessThan(Buffer.byteLength(JS) / 5)
    })

    it('sends the gzip file when the browser accepts only gzip (plain-http Chromium, older phones)', async () => {
      const r = await get('/assets/index-AbC123xy.js', 'gzip, deflate')
      expect(r.headers['content-encoding']).toBe('gzip')
      expect(r.headers.vary).toMatch(/accept-encoding/i)
      expect(gunzipSync(r.rawPayload).toString()).toBe(JS)
    })

    it('sends the plain file to a client that accepts no encoding', async () => {
      const r = await get('/assets/index-AbC123xy.js')
      expect(r.statusCode).toBe(200)
      expect(r.headers['content-encoding']).toBeUndefined()
      expect(r.body).toBe(JS)
    })

    it('lets browsers keep them for a year without revalidating (the name changes with the content)', async () => {
      for (const enc of ['br', 'gzip', undefined]) {
        const r = await get('/assets/index-AbC123xy.js', enc)
        expect(r.headers['cache-control'], String(enc)).toBe('public, max-age=31536000, immutable')
      }
    })

    it('answers 404, not the index page, for a file that is not there', async () => {
      for (const url of ['/assets/x.js', '/assets/index-AbC123xy.css', '/assets/index-AbC123xy.js.br', '/humans.txt', '/favicon.png']) {
        const r = await get(url, 'gzip, br')
        expect(r.statusCode, url).toBe(404)
        expect(r.headers['content-type'], url).not.toContain('text/html')
        expect(r.headers['cache-control'] ?? '', url).not.toContain('immutable')
      }
    })
  })

  describe('index.html', () => {
    it('is revalidated on every visit, and compressed', async () => {
      for (const url of ['/', '/index.html']) {
        const r = await get(url, 'gzip, deflate, br')
        expect(r.statusCode, url).toBe(200)
        expect(r.headers['content-type'], url).toContain('text/html')
        expect(r.headers['cache-control'], url).toBe('no-cache')
        expect(r.headers['content-encoding'], url).toBe('br')
        expect(brotliDecompressSync(r.rawPayload).toString()).toBe(INDEX)
      }
    })

    it('answers page paths without a file extension (the SPA fallback) with no-cache', async () => {
      const r = await get('/r/report', 'gzip')
      expect(r.statusCode).toBe(200)
      expect(r.headers['content-type']).toContain('text/html')
      expect(r.headers['cache-control']).toBe('no-cache')
      expect(gunzipSync(r.rawPayload).toString()).toBe(INDEX)
    })

    it('still answers unknown API paths with problem+json', async () => {
      const r = await get('/api/v1/nothing-here', 'gzip')
      expect(r.statusCode).toBe(404)
      expect(r.headers['content-type']).toContain('application/problem+json')
    })
  })

  it('serves a real icon at /favicon.ico', async () => {
    const r = await get('/favicon.ico', 'gzip, br')
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/)
    // ICO header: reserved 0, type 1 (icon), at least one image.
    expect(r.rawPayload.readUInt16LE(0)).toBe(0)
    expect(r.rawPayload.readUInt16LE(2)).toBe(1)
    expect(r.rawPayload.readUInt16LE(4)).toBeGreaterThan(0)
    expect(r.headers['cache-control']).not.toContain('immutable')
  })

  // What a crawler or an auditor (Lighthouse's SEO category) reads before any script runs.
  describe('for crawlers', () => {
    it('serves robots.txt from h5/public as text: public pages allowed, the API not', async () => {
      const r = await get('/robots.txt', 'gzip, br')
      expect(r.statusCode).toBe(200)
      expect(r.headers['content-type']).toMatch(/^text\/plain/)
      expect(r.headers['cache-control']).not.toContain('immutable')
      const lines = r.body.split('\n').map((l) => l.trim())
      expect(lines).toContain('User-agent: *')
      expect(lines).toContain('Allow: /')
      expect(lines).toContain('Disallow: /api/')
    })

    it('marks the page as Chinese and describes it in h5/index.html', () => {
      const html = readFileSync(path.join(ROOT, 'h5/index.html'), 'utf8')
      expect(html).toMatch(/<html[^>]*\slang="zh-CN"/)
      const description = /<meta\s+name="description"\s+content="([^"]*)"/.exec(html)?.[1] ?? ''
      // Search engines show ~80 Chinese characters; a few words would say nothing.
      expect(description.length).toBeGreaterThanOrEqual(20)
      expect(description.length).toBeLessThanOrEqual(120)
      expect(description).toContain('崇川')
      expect(html).toMatch(/<title>[^<]+<\/title>/)
    })
  })
})
