import { existsSync } from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { allowScriptsOn } from './security-headers.js'

export interface H5Options {
  /** The built H5 (h5/dist); null or a folder without index.html serves no H5. */
  dist: string | null
  /** Script origins index.html may load besides its own (WeChat's JS-SDK when a 服务号 is configured). */
  documentScripts?: readonly string[]
}

/** Vite names every file under /assets after its content, so a changed file is a new URL. */
const HASHED = 'public, max-age=31536000, immutable'
/** Types `pnpm build` writes .br/.gz siblings for (vite-plugin-compression2's defaults). */
const COMPRESSIBLE = /\.(html|xml|css|json|js|mjs|svg|yaml|yml|toml)$/
/**
 * Asked again on every use: index.html (a deploy shows at once), the service worker and the web manifest
 * (a day-old sw.js would keep phones on the previous deploy's precache for a day).
 */
const REVALIDATED = /(\.html|[\\/]sw\.js|\.webmanifest)$/

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers a page navigation (GET/HEAD, not /api, no file extension) with index.html; null otherwise. */
    sendH5Page: (req: FastifyRequest, reply: FastifyReply) => FastifyReply | null
  }
}

/**
 * Serves the built H5 as a production web app: the brotli or gzip file written at build time, chosen by
 * Accept-Encoding; hashed assets cached for a year without revalidation; index.html revalidated on every
 * visit so a deploy is picked up at once. The app's not-found handler calls `sendH5Page` so that hash-router
 * deep links and the WeChat OAuth return land on the H5, while a missing file (`/assets/old.js`,
 * `/sitemap.xml`) stays a 404 instead of an HTML page the browser would try to run as a script.
 */
async function h5(app: FastifyInstance, { dist, documentScripts = [] }: H5Options) {
  const root = dist && existsSync(path.join(dist, 'index.html')) ? path.resolve(dist) : null
  if (!root) {
    app.decorate('sendH5Page', () => null)
    return
  }
  const assets = path.join(root, 'assets') + path.sep
  await app.register(fastifyStatic, {
    root,
    // One route per file found at start-up: an unknown path never touches the disk.
    wildcard: false,
    preCompressed: true,
    // The siblings are an internal detail; asked for directly they are 404s like any missing file.
    allowedPath: (pathname) => !/\.(br|gz)$/.test(pathname),
    // send's own Cache-Control (public, max-age=0) is applied after `setHeaders` and used to overwrite it,
    // which is why hashed assets were revalidated on every visit: ours is the only one now.
    cacheControl: false,
    setHeaders(res, file) {
      const served = file.replace(/\.(br|gz)$/, '')
      res.setHeader('cache-control', served.startsWith(assets) ? HASHED : REVALIDATED.test(served) ? 'no-cache' : 'public, max-age=86400')
      if (COMPRESSIBLE.test(served)) res.setHeader('vary', 'accept-encoding')
      if (served.endsWith('.html')) allowScriptsOn(res, documentScripts)
    },
  })
  app.decorate('sendH5Page', (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null
    const pathname = req.url.split('?')[0]!
    if (pathname === '/api' || pathname.startsWith('/api/')) return null
    if (pathname.slice(pathname.lastIndexOf('/') + 1).includes('.')) return null
    return reply.code(200).sendFile('index.html')
  })
}

export default fp(h5, { name: 'h5', fastify: '5.x' })
