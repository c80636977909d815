import { getCurrentScope, onScopeDispose, watch } from 'vue'
import { isWechatBrowser, type WechatJsConfig } from '@cc/shared'
import { api } from '../api/client'

/**
 * WeChat share cards for public pages. Inside WeChat's browser a forwarded link's card comes from the JS-SDK,
 * not from the page's title and meta tags: the page loads the SDK, gets a signature for its URL from the
 * server, calls wx.config, and hands over title, description, link and image. Outside WeChat this does
 * nothing at all (no script, no request). Everything that fails leaves WeChat's default card: the page
 * itself never notices.
 */

/** What WeChat shows for a forwarded page. `imgUrl` and `link` default to the product's image and this page. */
export interface ShareCard {
  title: string
  desc: string
  imgUrl?: string
  link?: string
}

interface WxAppMessage {
  title: string
  desc: string
  link: string
  imgUrl: string
}
interface Wx {
  config(c: { appId: string; timestamp: number; nonceStr: string; signature: string; jsApiList: string[] }): void
  ready(cb: () => void): void
  error(cb: (e: unknown) => void): void
  updateAppMessageShareData(d: WxAppMessage): void
  updateTimelineShareData(d: Omit<WxAppMessage, 'desc'>): void
}

const SDK = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js'
/** What the app's index.html says of itself: the card a page gets back once it no longer sets its own. */
const DEFAULT_CARD: ShareCard = {
  title: '崇川在线',
  desc: '崇川在线疫情防控反馈：市民随手反映防控漏洞，区指挥部交办到责任单位限时整改，核验后公开整改通报。',
}


let sdk: Promise<Wx | null> | null = null
function loadSdk(): Promise<Wx | null> {
  return (sdk ??= new Promise((resolve) => {
    const w = window as unknown as { wx?: Wx }
    if (w.wx) return resolve(w.wx)
    const s = document.createElement('script')
    s.src = SDK
    s.async = true
    s.onload = () => resolve(w.wx ?? null)
    s.onerror = () => {
      sdk = null // try again on the next page that asks
      s.remove()
      resolve(null)
    }
    document.head.appendChild(s)
  }))
}

/**
 * One wx.config per signed URL. The app uses hash routes and the fragment is not signed, so every page of one
 * visit shares it; a failure is forgotten, so the next page tries again.
 */
let configured: { url: string; wx: Promise<Wx | null> } | null = null
function configuredWx(): Promise<Wx | null> {
  const url = location.href.split('#')[0]!
  if (configured?.url === url) return configured.wx
  const wx = Promise.all([loadSdk(), api<WechatJsConfig>('/public/wechat/js-config', { query: { url }, auth: false })])
    .then(([wx, c]) =>
      wx && c.enabled && c.appId && c.signature && c.nonceStr && c.timestamp
        ? new Promise<Wx | null>((resolve) => {
            wx.config({ appId: c.appId!, timestamp: c.timestamp!, nonceStr: c.nonceStr!, signature: c.signature!, jsApiList: ['updateAppMessageShareData', 'updateTimelineShareData'] })
            wx.ready(() => resolve(wx))
            wx.error(() => resolve(null))
          })
        : null,
    )
    .catch(() => null)
    .then((r) => {
      if (!r && configured?.wx === wx) configured = null
      return r
    })
  configured = { url, wx }
  return wx
}

function absolute(card: ShareCard): WxAppMessage {
  return {
    title: card.title,
    desc: card.desc,
    link: new URL(card.link ?? location.href, location.href).href,
    imgUrl: new URL(card.imgUrl ?? '/share.png', location.href).href,
  }
}

function apply(d: WxAppMessage, still: () => boolean = () => true) {
  void configuredWx().then((wx) => {
    if (!wx || !still()) return
    wx.updateAppMessageShareData(d)
    wx.updateTimelineShareData({ title: d.title, link: d.link, imgUrl: d.imgUrl })
  })
}

/**
 * Sets this page's WeChat share card from `card` (null while the page has nothing to share yet) and keeps it
 * up to date when the values change. When the page goes away the card falls back to the app's own.
 */
export function useWechatShare(card: () => ShareCard | null | undefined) {
  if (typeof window === 'undefined' || !isWechatBrowser(navigator.userAgent)) return
  let current = ''
  watch(
    card,
    (c) => {
      if (!c) return
      const d = absolute(c)
      const key = JSON.stringify(d)
      if (key === current) return
      current = key
      apply(d, () => current === key)
    },
    { immediate: true },
  )
  if (getCurrentScope())
    onScopeDispose(() => {
      // Only a page that set a card resets it: the next page (mounted after this one leaves) sets its own.
      if (!current) return
      current = ''
      apply(absolute({ ...DEFAULT_CARD, link: location.href }))
    })
}
