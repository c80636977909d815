import type { FastifyPluginAsync } from 'fastify'
import type { Db } from '../../db/client.js'
import type { ComplaintsService } from '../complaints/complaints.service.js'
import { readHome, type RbLatestSource } from './public.home.js'
import { renderHome } from './public.page.js'

/** How long one rendering of the home page is served to everyone (and may be cached by the browser). */
export const HOME_TTL_MS = 60_000

/**
 * The public home, outside /api/v1: a page, not an API (no login, no access rule). One rendering is shared
 * by every visitor for a minute, so a link forwarded in a WeChat group costs the database one read a minute.
 */
export const publicHomeRoutes =
  (deps: { db: Db; complaints: ComplaintsService; redblack: RbLatestSource | null; baseUrl: string }): FastifyPluginAsync =>
  async (app) => {
    let cached: { html: string; at: number } | null = null
    let inflight: Promise<string> | null = null

    const render = () =>
      (inflight ??= readHome(deps.db, deps.complaints, deps.redblack)
        .then((n) => {
          const html = renderHome(n, deps.baseUrl)
          cached = { html, at: Date.now() }
          return html
        })
        .finally(() => {
          inflight = null
        }))

    app.get('/home', { schema: { hide: true } }, async (_req, reply) => {
      const fresh = cached && Date.now() - cached.at < HOME_TTL_MS
      // Past its minute, the last page is still served while a new one renders (if there is one).
      const html = fresh ? cached!.html : cached ? (void render().catch(() => undefined), cached.html) : await render()
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', `public, max-age=${HOME_TTL_MS / 1000}, stale-while-revalidate=300`)
        .header('x-robots-tag', 'all')
      return html
    })
  }
