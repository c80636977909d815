import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverOutbox } from '../../server/src/modules/notify/notify.service.js'
import { startFakeWechat, type FakeWechat } from '../fakes/wechat.js'
import { createTestApp, staffToken, type TestApp } from '../helper.js'
import { act, fileReport } from './flow.js'

let app: TestApp
let wx: FakeWechat

beforeAll(async () => {
  wx = await startFakeWechat()
  app = await createTestApp({}, { WECHAT_BASE_URL: wx.baseUrl, WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret', WECHAT_MINI_APPID: 'm', WECHAT_MINI_SECRET: 's' })
})
afterAll(async () => {
  await app.close2()
  await wx.close()
})

describe('notifications', () => {
  it('sends WeChat subscribe messages from the outbox to a resident who logged in through WeChat, once', async () => {
    wx.codes.set('c1', 'openid-resident-1')
    const login = (await act(app, {}, '/api/v1/auth/login/wechat-mini', { code: 'c1' })).json()
    const headers = { authorization: `Bearer ${login.accessToken}` }
    const r = await fileReport(app, headers)
    expect(r.statusCode).toBe(201)
    const admin = await staffToken(app, 'district_admin', [])
    await act(app, admin.headers, `/api/v1/admin/complaints/${r.json().id}/accept`)
    const sent = await deliverOutbox(app.db, app.services.wechat, 'tmpl-status')
    expect(sent.sent).toBe(2) // 已收到, 已受理
    expect(wx.messages.map((m) => m.touser)).toEqual(['openid-resident-1', 'openid-resident-1'])
    expect(wx.messages[1]!.data.thing1!.value).toBe('您的反映已受理')
    expect((await deliverOutbox(app.db, app.services.wechat, 'tmpl-status')).sent).toBe(0)
  })

  it('marks a message skipped when the user has not accepted the subscription', async () => {
    wx.codes.set('c2', 'openid-resident-2')
    wx.unsubscribed.add('openid-resident-2')
    const login = (await act(app, {}, '/api/v1/auth/login/wechat-mini', { code: 'c2' })).json()
    await fileReport(app, { authorization: `Bearer ${login.accessToken}` })
    const r = await deliverOutbox(app.db, app.services.wechat, 'tmpl-status')
    expect(r.skipped).toBe(1)
  })

  it('keeps every status change in the in-app message centre and marks all read', async () => {
    wx.codes.set('c3', 'openid-resident-3')
    const login = (await act(app, {}, '/api/v1/auth/login/wechat-mini', { code: 'c3' })).json()
    const headers = { authorization: `Bearer ${login.accessToken}` }
    await fileReport(app, headers)
    const m = (await app.inject({ url: '/api/v1/messages', headers })).json()
    expect(m.unread).toBe(1)
    await act(app, headers, '/api/v1/messages/read-all')
    expect((await app.inject({ url: '/api/v1/messages', headers })).json().unread).toBe(0)
  })
})
