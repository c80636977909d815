import { createHash } from 'node:crypto'
import type { HomeNumbers } from './public.home.js'

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
const pct = (r: number | null) => (r === null ? '暂无' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`)
const int = (n: number) => n.toLocaleString('zh-CN')

export const HOME_TITLE = '崇川在线 · 疫情防控公开数据'

/** The share card's one line: the numbers themselves, so a forwarded link says something before it is opened. */
export function describe(n: HomeNumbers) {
  return `崇川区疫情防控：网友反映的漏洞已堵 ${int(n.pluggedTotal)} 个（本周 ${int(n.pluggedWeek)} 个），按时整改率 ${pct(n.onTimeRate)}，满意率 ${pct(n.satisfactionRate)}。看整改通报、红黑榜，发现漏洞随手反映。`
}

/** WeChat's JS-SDK, the version whose updateAppMessageShareData / updateTimelineShareData the page calls. */
export const JSSDK_URL = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js'
export const JSSDK_ORIGIN = new URL(JSSDK_URL).origin
/** Where a page gets its wx.config signature (public.wechat.ts). */
export const JS_CONFIG_PATH = '/api/v1/public/wechat/js-config'

/**
 * Inside WeChat the share card comes from the JS-SDK, not from the meta tags: this script loads the SDK and
 * the signature for this URL side by side, then hands WeChat the same title, description, link and image the
 * meta tags carry (read from them, so the script never changes and its hash can sit in the CSP). Anything
 * failing leaves the default card and the page as it was. ES5, for older WeChat web views.
 */
export const WECHAT_SHARE_SCRIPT = `(function(){
var d=document,cfg,wx,done;
function meta(p){var m=d.querySelector('meta[property="og:'+p+'"]');return m?m.getAttribute('content'):''}
function go(){
if(done||!cfg||!wx||!cfg.enabled)return;done=1;
wx.config({appId:cfg.appId,timestamp:cfg.timestamp,nonceStr:cfg.nonceStr,signature:cfg.signature,jsApiList:['updateAppMessageShareData','updateTimelineShareData']});
wx.ready(function(){
var t=meta('title'),l=meta('url'),i=meta('image');
wx.updateAppMessageShareData({title:t,desc:meta('description'),link:l,imgUrl:i});
wx.updateTimelineShareData({title:t,link:l,imgUrl:i});
});
wx.error(function(){});
}
var x=new XMLHttpRequest();
x.open('GET','${JS_CONFIG_PATH}?url='+encodeURIComponent(location.href.split('#')[0]));
x.onload=function(){if(x.status===200){try{cfg=JSON.parse(x.responseText)}catch(e){}go()}};
x.send();
var s=d.createElement('script');
s.src='${JSSDK_URL}';s.async=true;
s.onload=function(){wx=window.wx;go()};
d.body.appendChild(s);
})()`

/** The CSP source that lets exactly this inline script run. */
export const WECHAT_SHARE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(WECHAT_SHARE_SCRIPT).digest('base64')}'`

/**
 * The public home as one HTML document with its CSS inline and no script: the numbers are in the first
 * response, so the first paint on a slow phone already carries them (no bundle, no API round trip).
 * Sizes are in rem, so the phone's large-text setting and zoom scale everything. `wechat`: the rendering for
 * WeChat's browser, which also runs the share-card script, at the very end, after everything it paints.
 */
export function renderHome(n: HomeNumbers, baseUrl: string, opts: { wechat?: boolean } = {}) {
  const base = baseUrl.replace(/\/$/, '')
  const description = describe(n)
  const b = n.bulletin
  const rb = n.redblack
  const q = n.quarantine
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="format-detection" content="telephone=no">
<meta name="theme-color" content="#c8161d">
<title>${esc(HOME_TITLE)}</title>
<meta name="description" content="${esc(description)}">
<link rel="canonical" href="${esc(base)}/home">
<meta property="og:type" content="website">
<meta property="og:site_name" content="崇川在线">
<meta property="og:title" content="${esc(HOME_TITLE)}">
<meta property="og:description" content="${esc(description)}">
<meta property="og:url" content="${esc(base)}/home">
<meta property="og:image" content="${esc(base)}/share.png">
<meta property="og:image:width" content="600">
<meta property="og:image:height" content="600">
<meta property="og:image:alt" content="崇川在线：疫情防控，随手反映漏洞">
<meta name="twitter:card" content="summary">
<meta itemprop="name" content="${esc(HOME_TITLE)}">
<meta itemprop="description" content="${esc(description)}">
<meta itemprop="image" content="${esc(base)}/share.png">
<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">
<link rel="apple-touch-icon" href="/apple-touch-icon.png">
<style>
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1rem/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f1f1f;background:#f5f5f7}
a{color:#a8121a}
.top{background:#c8161d;color:#fff;padding:1.25rem 1rem 3.5rem}
.top h1{margin:0;font-size:1.5rem;line-height:1.3}
.top p{margin:.25rem 0 0;font-size:.9375rem;opacity:.95}
main{max-width:40rem;margin:-2.5rem auto 0;padding:0 .75rem 1.5rem}
section{background:#fff;border-radius:.75rem;padding:1rem;margin-bottom:.75rem;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{margin:0 0 .75rem;font-size:1.125rem;line-height:1.4}
.nums{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.5rem;margin:0}
.nums div{background:#fdf3f3;border-radius:.5rem;padding:.625rem .75rem}
.nums dt{font-size:.875rem;color:#4d4d4d}
.nums dd{margin:0;font-size:1.75rem;font-weight:700;line-height:1.25;color:#a8121a;font-variant-numeric:tabular-nums}
.nums dd small{font-size:.875rem;font-weight:400;color:#4d4d4d;margin-left:.125rem}
.muted{color:#595959;font-size:.875rem}
.cta{display:flex;align-items:center;justify-content:center;min-height:3rem;margin:.75rem 0 .25rem;border-radius:1.5rem;background:#c8161d;color:#fff;font-size:1.125rem;font-weight:700;text-decoration:none}
.cta:focus-visible,.more:focus-visible{outline:3px solid #1f1f1f;outline-offset:2px}
.more{display:flex;align-items:center;min-height:2.75rem;font-weight:600}
ul{margin:.25rem 0 .5rem;padding-left:1.25rem}
li{margin:.25rem 0}
.tags{display:flex;gap:.5rem;flex-wrap:wrap;margin:.25rem 0 .5rem}
.tag{display:inline-flex;align-items:center;gap:.25rem;border-radius:.375rem;padding:.125rem .625rem;font-weight:700}
.tag.red{background:#fdecec;color:#a8121a;border:1px solid #e8a3a6}
.tag.black{background:#262626;color:#fff;border:1px solid #262626}
ol{margin:.25rem 0 0;padding-left:1.25rem}
footer{text-align:center;color:#595959;font-size:.8125rem;padding:0 1rem 2rem}
footer a{display:inline-flex;align-items:center;min-height:2.75rem;padding:0 .5rem}
</style>
</head>
<body>
<header class="top">
<h1>崇川在线 · 疫情防控</h1>
<p>网友反映的漏洞，交办、整改、核验、公开</p>
</header>
<main>
<section aria-labelledby="h-loop">
<h2 id="h-loop">漏洞整改</h2>
<dl class="nums">
<div><dt>本周堵漏</dt><dd>${int(n.pluggedWeek)}<small>个</small></dd></div>
<div><dt>累计堵漏</dt><dd>${int(n.pluggedTotal)}<small>个</small></dd></div>
<div><dt>按时整改率</dt><dd>${pct(n.onTimeRate)}</dd></div>
<div><dt>群众满意率</dt><dd>${pct(n.satisfactionRate)}</dd></div>
</dl>
<p class="muted">数据更新于 ${esc(n.asOf)}（北京时间）</p>
<a class="cta" href="/#/r/report">发现漏洞，我要反映</a>
<p class="muted">填写时无需登录，提交时用手机号验证即可；可匿名反映。已反映的可<a href="/#/q">凭跟踪码查询进度</a>。</p>
</section>
<section aria-labelledby="h-bulletin">
<h2 id="h-bulletin">最新整改通报</h2>
${
  b
    ? `<p><strong>${esc(b.title)}</strong><br><span class="muted">${esc(b.publishedAt)} 发布 · 共 ${int(b.itemCount)} 条</span></p>
${b.items.length ? `<ol>${b.items.map((i) => `<li>${esc(i.problem)}</li>`).join('')}</ol>` : ''}
<a class="more" href="/#/b/${b.id}">查看本期通报全文</a>`
    : '<p class="muted">还没有发布整改通报。</p>'
}
<a class="more" href="/#/b">往期通报</a>
</section>
<section aria-labelledby="h-rb">
<h2 id="h-rb">最新红黑榜</h2>
${
  rb
    ? `<p><strong>${esc(rb.title)}</strong>${rb.publishedAt ? `<br><span class="muted">${esc(rb.publishedAt)} 发布</span>` : ''}</p>
<p class="tags"><span class="tag red">红榜 ${int(rb.red)} 家</span><span class="tag black">黑榜 ${int(rb.black)} 家</span></p>
<a class="more" href="/#/rb/${rb.id}">查看本期红黑榜</a>`
    : '<p class="muted">还没有发布红黑榜。</p>'
}
<a class="more" href="/#/rb">往期红黑榜与趋势</a>
</section>
<section aria-labelledby="h-q">
<h2 id="h-q">隔离人数</h2>
<dl class="nums">
<div><dt>居家隔离</dt><dd>${int(q.home)}<small>人</small></dd></div>
<div><dt>集中隔离</dt><dd>${int(q.centralised)}<small>人</small></dd></div>
<div><dt>健康监测</dt><dd>${int(q.monitoring)}<small>人</small></dd></div>
<div><dt>累计解除</dt><dd>${int(q.releasedTotal)}<small>人</small></dd></div>
</dl>
<p class="muted">${esc(q.day)} 统计，今日新增 ${int(q.newToday)} 人；只公开人数，不含任何个人信息。</p>
</section>
</main>
<footer>
<p>南通市崇川区疫情防控指挥部 · 崇川在线</p>
<a href="/#/login">工作人员登录</a>
</footer>
${opts.wechat ? `<script>${WECHAT_SHARE_SCRIPT}</script>
` : ''}</body>
</html>`
}
