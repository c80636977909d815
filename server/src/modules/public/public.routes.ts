import type { FastifyPluginAsync } from 'fastify'
import type { Db } from '../../db/client.js'
import { allowScriptsOn } from '../../plugins/security-headers.js'
import type { ComplaintsService } from '../complaints/complaints.service.js'
import { readHome, type RbLatestSource } from './public.home.js'
import { JSSDK_ORIGIN, renderHome, WECHAT_SHARE_SCRIPT_HASH } from './public.page.js'
import { isWechatBrowser } from '@cc/shared'

/** How long one rendering of the home page is served to everyone (and may be cached by the browser). */
export const HOME_TTL_MS = 60_000

interface Renderings {
  plain: string
  /** With the JS-SDK share script; only when the 服务号 is configured. */
  wechat: string | null
}

/**
 * The public home, outside /api/v1: a page, not an API (no login, no access rule). One rendering is shared
 * by every visitor for a minute, so a link forwarded in a WeChat group costs the database one read a minute.
 * WeChat's own browser gets a second rendering of the same numbers that sets its share card through the
 * JS-SDK; every other browser gets the page without any script.
 */
export const publicHomeRoutes =
  (deps: { db: Db; complaints: ComplaintsService; redblack: RbLatestSource | null; baseUrl: string; wechatShare: boolean }): FastifyPluginAsync =>
  async (app) => {
    let cached: { pages: Renderings; at: number } | null = null
    let inflight: Promise<Renderings> | null = null

    const render = () =>
      (inflight ??= readHome(deps.db, deps.complaints, deps.redblack)
        .then((n) => {
          const pages = { plain: renderHome(n, deps.baseUrl), wechat: deps.wechatShare ? renderHome(n, deps.baseUrl, { wechat: true }) : null }
          cached = { pages, at: Date.now() }
          return pages
        })
        .finally(() => {
          inflight = null
        }))

    app.get('/home', { schema: { hide: true } }, async (req, reply) => {
      const fresh = cached && Date.now() - cached.at < HOME_TTL_MS
      // Past its minute, the last page is still served while a new one renders (if there is one).
      const pages = fresh ? cached!.pages : cached ? (void render().catch(() => undefined), cached.pages) : await render()
      const wechat = pages.wechat !== null && isWechatBrowser(req.headers['user-agent'])
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', `public, max-age=${HOME_TTL_MS / 1000}, stale-while-revalidate=300`)
        .header('x-robots-tag', 'all')
      if (pages.wechat !== null) {
        // Two renderings behind one URL: a shared cache must keep them apart.
        reply.header('vary', 'User-Agent')
        // Only this rendering may run its one inline script and WeChat's SDK.
        if (wechat) allowScriptsOn(reply.raw, [WECHAT_SHARE_SCRIPT_HASH, JSSDK_ORIGIN])
      }
      return wechat ? pages.wechat! : pages.plain
    })
  }
