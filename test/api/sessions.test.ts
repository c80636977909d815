import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, residentLogin, someIp, type TestApp } from '../helper.js'

/**
 * An access token lives 15 minutes. Disabling an account or ending its login (logout, a replayed refresh
 * token) must stop it on the next request, not when it expires.
 */

let app: TestApp
beforeAll(async () => {
  app = await createTestApp()
})
afterAll(() => app.close2())

// Not /auth/me: it checks `disabled` by itself and would hide a missing check in the access plugin.
const me = (headers: Record<string, string>) => app.inject({ url: '/api/v1/messages', headers })
let n = 0
const phone = () => `1370000${String(1000 + ++n).slice(-4)}`

describe('sessions', () => {
  it('refuses the next request once the account is disabled', async () => {
    const r = await residentLogin(app, phone())
    expect((await me(r.headers)).statusCode).toBe(200) // the account state is now cached as active
    await app.accountState.disable(r.userId)
    const after = await me(r.headers)
    expect(after.statusCode).toBe(401)
    expect(after.json().detail).toBe('登录已失效，请重新登录')
    // …and the refresh token cannot mint a new one.
    const refreshed = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {}, cookies: { cc_rt: r.cookie }, remoteAddress: someIp() })
    expect(refreshed.statusCode).toBe(401)
  })

  it('refuses a token whose account another instance disabled (read from the database, not the cache)', async () => {
    const r = await residentLogin(app, phone())
    await app.pool.query('UPDATE users SET disabled = true WHERE id = $1', [r.userId])
    expect((await me(r.headers)).statusCode).toBe(401)
  })

  it('refuses the access token after logout', async () => {
    const r = await residentLogin(app, phone())
    expect((await me(r.headers)).statusCode).toBe(200)
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: r.headers, payload: {}, cookies: { cc_rt: r.cookie }, remoteAddress: someIp() })
    expect(out.statusCode, out.body).toBe(200)
    expect((await me(r.headers)).statusCode).toBe(401)
  })

  it('refuses the access token once its refresh family is revoked for reuse, but not another login', async () => {
    const a = await residentLogin(app, phone())
    const first = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {}, cookies: { cc_rt: a.cookie }, remoteAddress: someIp() })
    expect(first.statusCode).toBe(200)
    const fresh = { authorization: `Bearer ${first.json().accessToken}` }
    expect((await me(fresh)).statusCode).toBe(200)
    // The old refresh token again: a stolen copy. The whole family goes, with its access tokens.
    const replay = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {}, cookies: { cc_rt: a.cookie }, remoteAddress: someIp() })
    expect(replay.statusCode).toBe(401)
    expect((await me(fresh)).statusCode).toBe(401)
    expect((await me(a.headers)).statusCode).toBe(401)
  })

  it('keeps other logins of the same account working', async () => {
    const p = phone()
    const a = await residentLogin(app, p)
    // A second phone session: age the first code past the resend interval instead of waiting a minute.
    await app.pool.query(`UPDATE sms_codes SET created_at = created_at - interval '2 minutes'`)
    const b = await app.inject({ method: 'POST', url: '/api/v1/auth/sms/send', payload: { phone: p }, remoteAddress: someIp() })
    expect(b.statusCode, b.body).toBe(200)
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login/sms', payload: { phone: p, code: b.json().devCode }, remoteAddress: someIp() })
    const other = { authorization: `Bearer ${login.json().accessToken}` }
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: a.headers, payload: {}, cookies: { cc_rt: a.cookie }, remoteAddress: someIp() })
    expect((await me(a.headers)).statusCode).toBe(401)
    expect((await me(other)).statusCode).toBe(200)
  })
})
