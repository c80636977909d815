import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

/**
 * Security headers (CSP, HSTS when https, nosniff, frame-ancestors …) on every response, from helmet.
 * The middleware is built once: @fastify/helmet rebuilt it — CSP directives parsed again — on every request,
 * about a tenth of the CPU of a report submit.
 */
export default fp<{ options: HelmetOptions }>(async (app, { options }) => {
  const apply = helmet(options)
  app.addHook('onRequest', (req, reply, done) => apply(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)))
})

/**
 * The policy helmet set for this response, with `sources` added to its script-src: for the few documents that
 * run a script from elsewhere (WeChat's JS-SDK) or an inline one (by its hash), so every other response keeps
 * the one strict policy, built once.
 */
export function withScriptSources(policy: string, sources: readonly string[]): string {
  if (!sources.length) return policy
  const parts = policy.split(';')
  const i = parts.findIndex((d) => /^\s*script-src(\s|$)/.test(d))
  if (i < 0) return [...parts, `script-src 'self' ${sources.join(' ')}`].join(';')
  const have = new Set(parts[i]!.trim().split(/\s+/))
  const add = sources.filter((x) => !have.has(x))
  if (add.length) parts[i] = `${parts[i]} ${add.join(' ')}`
  return parts.join(';')
}

/** Extends the Content-Security-Policy already set on a raw response (see `withScriptSources`). */
export function allowScriptsOn(res: { getHeader(name: string): unknown; setHeader(name: string, value: string): unknown }, sources: readonly string[]) {
  const policy = res.getHeader('content-security-policy')
  if (typeof policy === 'string') res.setHeader('content-security-policy', withScriptSources(policy, sources))
}
