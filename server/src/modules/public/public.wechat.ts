import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { WechatJsConfig, WechatJsConfigQuery } from '@cc/shared'
import { badRequest } from '../../errors.js'
import type { WechatClient } from '../auth/wechat.client.js'


/**
 * Whether `url` is a page of this product: an http(s) URL on the configured public origin, or on the host the
 * request came to (a phone on the LAN reaches the demo by its address). Compared on the string as the browser
 * reports location.href, which always starts with the origin itself. WeChat itself accepts a signature only on
 * the 服务号's JS接口安全域名; this check keeps the route from signing for any other site in the meantime.
 */
export function isOwnPage(url: string, publicBaseUrl: string, requestHost: string | undefined): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false
  if (u.username || u.password) return false
  if (url !== u.origin && !url.startsWith(`${u.origin}/`) && !url.startsWith(`${u.origin}?`)) return false
  const own = new URL(publicBaseUrl).origin
  return u.origin === own || (!!requestHost && u.host === requestHost.toLowerCase())
}

/**
 * The JS-SDK signature for a page's share card, no login (public pages are shared by people who never log in).
 * Only the product's own pages are signed. Without a configured 服务号 it answers `{ enabled: false }`, so a
 * page keeps its default card and the server never calls WeChat.
 */
export const wechatShareRoutes =
  (deps: { wechat: WechatClient; publicBaseUrl: string }): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/js-config', {
      // Each call is one sha1 over a cached ticket, but it is anonymous: a per-IP guard like the other public lookups.
      config: { access: { public: true }, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: '微信 JS-SDK 分享签名（仅限本站页面；未配置服务号时 enabled 为 false）',
        querystring: WechatJsConfigQuery,
        response: { 200: WechatJsConfig },
      },
      handler: async (req) => {
        if (!deps.wechat.officialAccount) return { enabled: false }
        const url = req.query.url.split('#')[0]!
        if (!isOwnPage(url, deps.publicBaseUrl, req.host)) throw badRequest('只能为本站页面生成微信分享签名')
        return { enabled: true, ...(await deps.wechat.jsSdkConfig(url)) }
      },
    })
  }
