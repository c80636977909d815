import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { multipartForm, makeId, compoundWithBuildings } from './register-helpers.js'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { exportRawPublicKey, generateSigningKeyPair, phoneQrText } from '@cc/shared'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'

const RX = ['任港街道', '大庆社区', '第一网格', '任港路新村']
const DX = ['任港街道', '大庆社区', '第一网格', '大庆新村']
const HX = ['和平桥街道', '濠城社区', '第二网格', '濠城新村']
const now = () => Math.floor(Date.now() / 1000)
let app: TestApp
const H: Record<string, Record<string, string>> = {}
const log = (...a: unknown[]) => console.log('PROBE', ...a)
const leaks: string[] = []
function scanLeak(label: string, body: string) {
  const m = body.match(/(?<![0-9])[1-9][0-9]{5}(19|20)[0-9]{9}[0-9Xx](?![0-9])|(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g)
  if (m) leaks.push(`${label}: ${m.join(',')}`)
}
async function req(label: string, o: { method?: string; url: string; headers?: Record<string, string>; payload?: unknown }) {
  const r = await app.inject({ method: (o.method ?? 'GET') as 'GET', url: o.url, headers: o.headers, payload: o.payload as object })
  scanLeak(label, r.body)
  if (r.statusCode >= 500) log('500!!', label, r.body.slice(0, 300))
  return r
}
async function login(u: string) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login/password', payload: { username: u, password: 'cc123456' } })
  return { authorization: `Bearer ${r.json().accessToken}` }
}
beforeAll(async () => {
  app = await createTestApp()
  for (const u of ['menwei', 'haocheng', 'daqing', 'admin', 'rengang', 'qiankun']) H[u] = await login(u)
})
afterAll(async () => {
  log('LEAKS', leaks)
  await app.close2()
})

describe('probe', () => {
  it.skip('scope', async () => {
    const rx = await findOrgByNames(app.db, RX)
    const dx = await findOrgByNames(app.db, DX)
    const hx = await findOrgByNames(app.db, HX)
    const gates = (await req('gates', { url: '/api/v1/gate/gates', headers: H.menwei })).json().items
    log('menwei gates', gates.length, gates.map((g: any) => g.compoundName + g.name).join(' '))
    const dgates = (await req('dgates', { url: '/api/v1/gate/gates', headers: H.daqing })).json()
    log('daqing gates', JSON.stringify(dgates).slice(0, 300))
    const fg = await app.pool.query(`SELECT id, path FROM org_units WHERE kind='gate' AND parent_id = $1 LIMIT 1`, [dx.id])
    const hg = await app.pool.query(`SELECT id FROM org_units WHERE kind='gate' AND parent_id = $1 LIMIT 1`, [hx.id])
    const fgid = fg.rows[0]?.id, hgid = hg.rows[0]?.id
    log('foreign gates', fgid, hgid)
    for (const [u, gid] of [['menwei', fgid], ['menwei', hgid], ['haocheng', gates[0].id]] as const) {
      for (const url of [`/api/v1/gate/pack?gateId=${gid}`, `/api/v1/gate/counts?gateId=${gid}`, `/api/v1/gate/visitors?gateId=${gid}`]) {
        const r = await req(url, { url, headers: H[u] })
        log(u, url, r.statusCode, r.body.slice(0, 120))
      }
      const c = await req('scan', { method: 'POST', url: '/api/v1/gate/checks', headers: H[u], payload: { clientId: randomUUID(), clientTime: new Date().toISOString(), gateId: gid, direction: 'in', temperature: 36.5, mask: true, color: 'green' } })
      log(u, 'scan', gid, c.statusCode, c.body.slice(0, 120))
      const v = await req('visitor', { method: 'POST', url: '/api/v1/gate/visitors', headers: H[u], payload: { clientId: randomUUID(), gateId: gid, name: '王五', phone: '13800138000', purpose: '探亲', origin: '南通' } })
      log(u, 'visitor', gid, v.statusCode, v.body.slice(0, 120))
    }
    // pack
    const pack = await req('pack', { url: `/api/v1/gate/pack?gateId=${gates[0].id}`, headers: H.menwei })
    log('pack keys', Object.keys(pack.json()), 'cards', pack.json().cards.slice(0, 2))
    // haocheng reading 大庆
    for (const url of [`/api/v1/register/households?compoundId=${rx.id}`, `/api/v1/passes?compoundId=${rx.id}`, `/api/v1/register/claims`, `/api/v1/register/compounds`, `/api/v1/gate/community-counts?communityId=${rx.path.split('/')[3]}`]) {
      const r = await req(url, { url, headers: H.haocheng })
      log('haocheng', url, r.statusCode, r.body.slice(0, 150))
    }
    const hh = await app.pool.query(`SELECT id FROM households WHERE compound_id = $1 LIMIT 1`, [rx.id])
    const rs = await app.pool.query(`SELECT r.id, p.id AS pid FROM residents r JOIN passes p ON p.resident_id = r.id WHERE r.compound_id = $1 LIMIT 1`, [rx.id])
    for (const [m, url, payload] of [
      ['GET', `/api/v1/register/households/${hh.rows[0].id}`],
      ['POST', `/api/v1/passes/${rs.rows[0].pid}/suspend`, { reason: '测试' }],
      ['PATCH', `/api/v1/register/residents/${rs.rows[0].id}`, { relation: '子女' }],
      ['POST', `/api/v1/passes/cards`, { passIds: [rs.rows[0].pid] }],
    ] as const) {
      const r = await req(url, { method: m, url, headers: H.haocheng, payload })
      log('haocheng', m, url, r.statusCode, r.body.slice(0, 150))
    }
    // all readers on their scopes, check leaks
    for (const u of ['daqing', 'rengang', 'admin']) {
      for (const url of [`/api/v1/register/households?compoundId=${rx.id}&limit=50`, `/api/v1/passes?compoundId=${rx.id}&limit=100`, `/api/v1/register/claims`, `/api/v1/register/households/${hh.rows[0].id}`]) {
        const r = await req(`${u} ${url}`, { url, headers: H[u] })
        if (r.statusCode !== 200) log(u, url, r.statusCode, r.body.slice(0, 150))
      }
    }
    const cards = await req('cards', { method: 'POST', url: '/api/v1/passes/cards', headers: H.daqing, payload: { passIds: [rs.rows[0].pid] } })
    log('cards', cards.statusCode, cards.body.slice(0, 400))
    // resident
    const res = await residentLogin(app, '13911112222')
    for (const url of ['/api/v1/me/passes', '/api/v1/me/household-claims', '/api/v1/me/register/compounds']) {
      const r = await req(url, { url, headers: res.headers })
      log('resident', url, r.statusCode, r.body.slice(0, 150))
    }
    const keys = await generateSigningKeyPair(false)
    const d = await req('bind other', { method: 'POST', url: `/api/v1/me/passes/${rs.rows[0].pid}/device`, headers: res.headers, payload: { publicKey: await exportRawPublicKey(keys.publicKey) } })
    log('resident bind other', d.statusCode, d.body)
    for (const url of [`/api/v1/gate/pack?gateId=${gates[0].id}`, `/api/v1/passes?compoundId=${rx.id}`, `/api/v1/register/households/${hh.rows[0].id}`]) {
      const r = await req(url, { url, headers: res.headers })
      log('resident', url, r.statusCode)
    }
    // by-id-number
    for (const u of ['menwei', 'daqing', 'rengang', 'qiankun', 'admin']) {
      const r = await req('byid', { url: '/api/v1/gate/checks/by-id-number?idNumber=320602199003071236', headers: H[u] })
      log('byid', u, r.statusCode, r.body.slice(0, 100))
    }
    const a = await app.pool.query(`SELECT action, detail FROM audit_log WHERE action LIKE 'gate%' ORDER BY id DESC LIMIT 3`)
    log('audit', JSON.stringify(a.rows))
  })
  it.skip('hostile', async () => {
    const gates = (await req('gates', { url: '/api/v1/gate/gates', headers: H.menwei })).json().items
    const gid = gates[0].id
    const base = () => ({ clientId: randomUUID(), clientTime: new Date().toISOString(), gateId: gid, direction: 'in', temperature: 36.5, mask: true, color: 'green' })
    const cases: [string, Record<string, unknown>][] = [
      ['huge code', { code: 'CC1.' + 'A'.repeat(2040) }],
      ['too huge code', { code: 'x'.repeat(5000) }],
      ['garbage code', { code: 'CC1.....' }],
      ['garbage code2', { code: 'CC1.e30.e30.1.AA' }],
      ['card garbage', { code: 'CC1C.' + 'e30.e30' }],
      ['card code bad luhn', { cardCode: '1234567890' }],
      ['NUL code', { code: 'CC1.\u0000abc' }],
      ['NUL literal', { code: 'CC1.\0abc' }],
      ['temp 34.9', { temperature: 34.9 }],
      ['temp 42.1', { temperature: 42.1 }],
      ['temp NaN str', { temperature: 'NaN' }],
      ['temp str num', { temperature: '36.5' }],
      ['temp neg', { temperature: -5 }],
      ['temp 1e308', { temperature: 1e308 }],
      ['natAt future', { color: 'green_star', natAt: new Date(Date.now() + 86400_000).toISOString() }],
      ['natAt garbage', { color: 'green_star', natAt: 'yesterday' }],
      ['natAt year 0', { color: 'green_star', natAt: '0000-01-01T00:00:00Z' }],
      ['natAt 9999', { color: 'green_star', natAt: '9999-12-31T23:59:59Z' }],
      ['clientTime past', { clientTime: '1970-01-01T00:00:00Z' }],
      ['clientTime past offline', { clientTime: '1970-01-01T00:00:00Z', offline: true }],
      ['clientTime 0001', { clientTime: '0001-01-01T00:00:00Z', offline: true }],
      ['clientTime future', { clientTime: '2999-01-01T00:00:00Z' }],
      ['clientTime +275760', { clientTime: '+275760-09-13T00:00:00Z', offline: true }],
      ['clientTime bad date', { clientTime: '2026-02-30T00:00:00Z', offline: true }],
      ['uuid upper', { clientId: randomUUID().toUpperCase() }],
      ['uuid nil', { clientId: '00000000-0000-0000-0000-000000000000' }],
      ['uuid braces', { clientId: '{' + randomUUID() + '}' }],
      ['gateId str', { gateId: 'abc' }],
      ['gateId huge', { gateId: 99999999999 }],
      ['gateId compound', { gateId: 87 }],
      ['direction bad', { direction: 'sideways' }],
      ['visitorId foreign', { visitorId: 999999 }],
      ['color bad', { color: 'blue' }],
      ['mask str', { mask: 'yes' }],
      ['extra field', { evil: 1 }],
      ['code and card', { code: 'CC1C.x.y', cardCode: '0000000000' }],
    ]
    for (const [label, over] of cases) {
      const r = await req(label, { method: 'POST', url: '/api/v1/gate/checks', headers: H.menwei, payload: { ...base(), ...over } })
      const j = r.json()
      log(label, r.statusCode, r.statusCode === 200 ? `${j.verdict} ${j.reasons.map((x: any) => x.code + ':' + x.text).join('|')}` : (j.detail ?? j.title))
    }
    const raw = await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: { ...H.menwei, 'content-type': 'application/json' }, payload: '{"clientId":"' + randomUUID() + '","clientTime":"2026-01-01T00:00:00Z","gateId":' + gid + ',"direction":"in","code":"CC1.\u0000"}' })
    log('raw nul', raw.statusCode, raw.body.slice(0, 200))
    // sync batches
    const mk = (n: number) => Array.from({ length: n }, () => ({ ...base(), offline: true }))
    const s201 = await req('s201', { method: 'POST', url: '/api/v1/gate/checks/sync', headers: H.menwei, payload: { checks: mk(201) } })
    log('sync 201', s201.statusCode, s201.body.slice(0, 200))
    const s0 = await req('s0', { method: 'POST', url: '/api/v1/gate/checks/sync', headers: H.menwei, payload: { checks: [] } })
    log('sync 0', s0.statusCode, s0.body.slice(0, 200))
    const one = base()
    const dup = [one, { ...one }, { ...one, clientId: one.clientId.toUpperCase() }, base()]
    const sd = await req('sdup', { method: 'POST', url: '/api/v1/gate/checks/sync', headers: H.menwei, payload: { checks: dup } })
    log('sync dup', sd.statusCode, sd.body.slice(0, 600))
    log('rows for dup', (await app.pool.query('SELECT count(*)::int n FROM gate_checks WHERE client_id=$1', [one.clientId])).rows[0].n)
    // one bad item in batch: is anything written?
    const bad = [base(), { ...base(), temperature: 'hot' }]
    const sb = await req('sbad', { method: 'POST', url: '/api/v1/gate/checks/sync', headers: H.menwei, payload: { checks: bad } })
    log('sync bad', sb.statusCode, sb.body.slice(0, 300), (await app.pool.query('SELECT count(*)::int n FROM gate_checks WHERE client_id=$1', [bad[0].clientId])).rows[0].n)
    const s200 = await req('s200', { method: 'POST', url: '/api/v1/gate/checks/sync', headers: H.menwei, payload: { checks: mk(200) } })
    log('sync 200', s200.statusCode, s200.body.length)
    // visitors
    const vb = () => ({ clientId: randomUUID(), gateId: gid, name: '王五', phone: '13800138000', purpose: '探亲', origin: '南通' })
    for (const [label, over] of [['empty name', { name: '' }], ['space name', { name: '   ' }], ['nul name', { name: 'a\u0000b' }], ['long name', { name: '王'.repeat(21) }], ['phone bad', { phone: '12345' }], ['host foreign', { hostHouseholdId: 2147483647 }], ['purpose empty', { purpose: ' ' }], ['zero-width name', { name: '\u200b' }]] as const) {
      const r = await req(label, { method: 'POST', url: '/api/v1/gate/visitors', headers: H.menwei, payload: { ...vb(), ...over } })
      log('visitor', label, r.statusCode, r.body.slice(0, 200))
    }
    const ok = await req('v', { method: 'POST', url: '/api/v1/gate/visitors', headers: H.menwei, payload: vb() })
    log('visitor ok', ok.statusCode, ok.body)
    const out2 = await req('vo', { method: 'POST', url: `/api/v1/gate/visitors/${ok.json().id}/out`, headers: H.menwei, payload: { gateId: gid } })
    const out3 = await req('vo', { method: 'POST', url: `/api/v1/gate/visitors/${ok.json().id}/out`, headers: H.menwei, payload: { gateId: gid } })
    log('visitor out twice', out2.statusCode, out3.statusCode, out2.json().outAt === out3.json().outAt)
    const cnt = await req('counts', { url: `/api/v1/gate/counts?gateId=${gid}`, headers: H.menwei })
    log('counts', cnt.body)
  })
  it.skip('once+replay', async () => {
    const net = await import('node:net')
    const gates = (await req('gates', { url: '/api/v1/gate/gates', headers: H.menwei })).json().items
    const gid = gates[0].id
    const base = () => ({ clientId: randomUUID(), clientTime: new Date().toISOString(), gateId: gid, direction: 'in', temperature: 36.5, mask: true, color: 'green' })
    // resident with pass via register API
    const rx = await findOrgByNames(app.db, RX)
    const b = await app.pool.query('SELECT id FROM buildings WHERE compound_id=$1 LIMIT 1', [rx.id])
    const hh = await req('hh', { method: 'POST', url: '/api/v1/register/households', headers: H.daqing, payload: { compoundId: rx.id, buildingId: b.rows[0].id, unit: 1, room: '909' } })
    log('hh', hh.statusCode, hh.body.slice(0, 100))
    const phone = '13700001111'
    const m = await req('member', { method: 'POST', url: `/api/v1/register/households/${hh.json().id}/residents`, headers: H.daqing, payload: { name: '赵六', idNumber: '320602198001010013', phone, relation: '户主', elderlyAlone: false, noSmartphone: false, disabled: false } })
    log('member', m.statusCode, m.body.slice(0, 300))
    const res = await residentLogin(app, phone)
    const mine = (await req('mine', { url: '/api/v1/me/passes', headers: res.headers })).json().items
    log('mine', JSON.stringify(mine))
    const pid = mine[0].passId
    const k1 = await generateSigningKeyPair(false)
    const c1 = (await req('bind1', { method: 'POST', url: `/api/v1/me/passes/${pid}/device`, headers: res.headers, payload: { publicKey: await exportRawPublicKey(k1.publicKey) } })).json().credential
    const scan = (over: Record<string, unknown>) => req('scan', { method: 'POST', url: '/api/v1/gate/checks', headers: H.menwei, payload: { ...base(), ...over } })
    const v = async (over: Record<string, unknown>) => { const r = await scan(over); const j = r.json(); return r.statusCode + ' ' + j.verdict + ' ' + (j.reasons ?? []).map((x: any) => x.code).join(',') }
    log('fresh', await v({ code: await phoneQrText(c1, k1.privateKey, now()) }))
    log('61s', await v({ code: await phoneQrText(c1, k1.privateKey, now() - 61) }))
    log('+119s', await v({ code: await phoneQrText(c1, k1.privateKey, now() + 119) }))
    log('+200s', await v({ code: await phoneQrText(c1, k1.privateKey, now() + 200) }))
    log('61s online flagged offline w/ clientTime', await v({ code: await phoneQrText(c1, k1.privateKey, now() - 3600), offline: true, clientTime: new Date(Date.now() - 3600_000).toISOString() }))
    // concurrency: same check x10
    const same = { ...base(), code: await phoneQrText(c1, k1.privateKey, now()) }
    const rs = await Promise.all(Array.from({ length: 10 }, () => app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: H.menwei, payload: same })))
    log('x10', rs.map((r) => r.statusCode + ':' + r.json().stored).join(' '), (await app.pool.query('SELECT count(*)::int n FROM gate_checks WHERE client_id=$1', [same.clientId])).rows[0].n)
    // concurrent sync same batch x5
    const batch = Array.from({ length: 20 }, () => ({ ...base(), offline: true }))
    const ss = await Promise.all(Array.from({ length: 5 }, () => app.inject({ method: 'POST', url: '/api/v1/gate/checks/sync', headers: H.menwei, payload: { checks: batch } })))
    log('sync x5', ss.map((r) => r.statusCode + ':' + r.json().results?.filter((x: any) => x.stored).length).join(' '), (await app.pool.query('SELECT count(*)::int n FROM gate_checks WHERE client_id=ANY($1::uuid[])', [batch.map((x) => x.clientId)])).rows[0].n)
    // second device
    const k2 = await generateSigningKeyPair(false)
    const c2 = (await req('bind2', { method: 'POST', url: `/api/v1/me/passes/${pid}/device`, headers: res.headers, payload: { publicKey: await exportRawPublicKey(k2.publicKey) } })).json().credential
    log('old device', await v({ code: await phoneQrText(c1, k1.privateKey, now()) }))
    log('new device', await v({ code: await phoneQrText(c2, k2.privateKey, now()) }))
    log('rebind old key', (await req('bind1b', { method: 'POST', url: `/api/v1/me/passes/${pid}/device`, headers: res.headers, payload: { publicKey: await exportRawPublicKey(k1.publicKey) } })).statusCode)
    const pack1 = (await req('pack', { url: `/api/v1/gate/pack?gateId=${gid}`, headers: H.menwei })).json()
    log('pack devices has old', pack1.deny.devices.includes(await exportRawPublicKey(k1.publicKey)))
    // suspend
    const sp = await req('suspend', { method: 'POST', url: `/api/v1/passes/${pid}/suspend`, headers: H.daqing, payload: { reason: '疑似外出未报备' } })
    log('suspend', sp.statusCode, sp.body.slice(0, 200))
    log('suspended scan', await v({ code: await phoneQrText(c2, k2.privateKey, now()) }))
    const pack2 = (await req('pack', { url: `/api/v1/gate/pack?gateId=${gid}`, headers: H.menwei })).json()
    log('pack deny passes', JSON.stringify(pack2.deny.passes.filter((x: any) => x.pid === pid)))
    log('me passes suspended', JSON.stringify((await req('mine', { url: '/api/v1/me/passes', headers: res.headers })).json()))
    log('bind while suspended', (await req('b', { method: 'POST', url: `/api/v1/me/passes/${pid}/device`, headers: res.headers, payload: { publicKey: await exportRawPublicKey(k2.publicKey) } })).body.slice(0, 200))
    const rr = await req('restore', { method: 'POST', url: `/api/v1/passes/${pid}/restore`, headers: H.daqing, payload: { reason: '核实无误' } })
    log('restore', rr.statusCode)
    log('restored scan', await v({ code: await phoneQrText(c2, k2.privateKey, now()) }))
    const pack3 = (await req('pack', { url: `/api/v1/gate/pack?gateId=${gid}`, headers: H.menwei })).json()
    log('pack after restore', JSON.stringify(pack3.deny.passes.filter((x: any) => x.pid === pid)))
    // card
    const card = (await req('card', { method: 'POST', url: '/api/v1/passes/cards', headers: H.daqing, payload: { passIds: [pid] } })).json().items[0]
    log('card qr', await v({ code: card.qr }), 'typed', await v({ cardCode: card.code }))
    const card2 = (await req('card', { method: 'POST', url: '/api/v1/passes/cards', headers: H.daqing, payload: { passIds: [pid] } })).json().items[0]
    log('old card qr', await v({ code: card.qr }), 'old typed', await v({ cardCode: card.code }), 'new', await v({ cardCode: card2.code }))
    // move out -> pass revoked
    const mo = await req('mo', { method: 'POST', url: `/api/v1/register/residents/${m.json().id}/move-out`, headers: H.daqing, payload: { date: new Date().toISOString().slice(0, 10), reason: '搬家' } })
    log('moveout', mo.statusCode, mo.body.slice(0, 200))
    log('after moveout phone', await v({ code: await phoneQrText(c2, k2.privateKey, now()) }), 'card', await v({ cardCode: card2.code }))
    // abort mid-flight sync over real socket
    await app.listen({ port: 0, host: '127.0.0.1' })
    const port = (app.server.address() as any).port
    const big = Array.from({ length: 200 }, () => ({ ...base(), offline: true }))
    const body = JSON.stringify({ checks: big })
    for (const delay of [0, 5, 20, 50]) {
      await new Promise<void>((resolve) => {
        const sock = net.connect(port, '127.0.0.1', () => {
          sock.write(`POST /api/v1/gate/checks/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: ${H.menwei.authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`)
          sock.write(body)
          setTimeout(() => { sock.destroy(); resolve() }, delay)
        })
        sock.on('error', () => resolve())
      })
    }
    // half body then close
    await new Promise<void>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.write(`POST /api/v1/gate/checks/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: ${H.menwei.authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`)
        sock.write(body.slice(0, 1000))
        setTimeout(() => { sock.destroy(); resolve() }, 20)
      })
    })
    await new Promise((r) => setTimeout(r, 1500))
    const ac = new AbortController()
    const f = fetch(`http://127.0.0.1:${port}/api/v1/gate/checks/sync`, { method: 'POST', headers: { ...H.menwei, 'content-type': 'application/json' }, body, signal: ac.signal }).catch((e) => 'aborted ' + e.name)
    setTimeout(() => ac.abort(), 10)
    log('fetch abort', typeof (await f) === 'string' ? await f : 'completed')
    await new Promise((r) => setTimeout(r, 1000))
    const mid = (await app.pool.query('SELECT count(*)::int n FROM gate_checks WHERE client_id=ANY($1::uuid[])', [big.map((x) => x.clientId)])).rows[0].n
    const retry = await fetch(`http://127.0.0.1:${port}/api/v1/gate/checks/sync`, { method: 'POST', headers: { ...H.menwei, 'content-type': 'application/json' }, body })
    const rj = await retry.json() as any
    const after = (await app.pool.query('SELECT count(*)::int n FROM gate_checks WHERE client_id=ANY($1::uuid[])', [big.map((x) => x.clientId)])).rows[0].n
    log('abort: rows after abort', mid, 'retry', retry.status, 'stored now', rj.results.filter((x: any) => x.stored).length, 'rows', after)
    const hz = await fetch(`http://127.0.0.1:${port}/healthz`)
    log('healthz', hz.status)
  })
  it('import', async () => {
    const rg = await compoundWithBuildings(app, RX)
    const HEAD = ['楼栋', '单元', '房号', '姓名', '身份证号', '手机号', '与户主关系', '独居老人', '无智能手机', '残疾']
    const count = async () => (await app.pool.query(`SELECT (SELECT count(*) FROM residents)::int AS r, (SELECT count(*) FROM passes)::int AS p, (SELECT count(*) FROM households)::int AS h`)).rows[0]
    const up = async (label: string, data: Buffer, name: string) => {
      const m = multipartForm({ compoundId: String(rg.id) }, { name, data })
      const t0 = Date.now()
      const r = await app.inject({ method: 'POST', url: '/api/v1/register/imports', headers: { ...H.daqing, ...m.headers }, payload: m.payload })
      scanLeak(label, r.body)
      const j = r.json()
      log(label, r.statusCode, Date.now() - t0, 'ms', r.statusCode === 201 ? `total ${j.total} valid ${j.valid} errors ${JSON.stringify(j.errors.slice(0, 5))} sample ${JSON.stringify(j.sample.slice(0, 3))}` : j.detail ?? j.title)
      if (r.statusCode === 201) {
        const before = await count()
        const c = await app.inject({ method: 'POST', url: `/api/v1/register/imports/${j.id}/commit`, headers: H.daqing, payload: {} })
        log('  commit', c.statusCode, c.body.slice(0, 160), JSON.stringify(before), JSON.stringify(await count()))
      }
    }
    const b0 = rg.buildings[0].name
    let k = 5000
    const row = (over: Record<number, unknown> = {}) => { const r: any[] = [b0, 1, String(2000 + ++k), '钱多多', makeId(300_000 + k), '13912345678', '户主', '否', '否', '否']; for (const [i, v] of Object.entries(over)) r[+i] = v; return r }
    // formula cell
    {
      const wb = new ExcelJS.Workbook(); const ws = wb.addWorksheet('a'); ws.addRow(HEAD)
      const r1 = row(); ws.addRow(r1); ws.getCell(`D2`).value = { formula: 'HYPERLINK("http://evil.example","张三")', result: '张三' } as any
      const r2 = row(); ws.addRow(r2); ws.getCell(`D3`).value = { formula: 'HYPERLINK("http://evil.example","李四")' } as any
      const r3 = row(); ws.addRow(r3); ws.getCell('E4').value = { formula: `"${r3[4]}"`, result: r3[4] } as any
      await up('formula xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'f.xlsx')
    }
    {
      const r = row(); r[3] = '=HYPERLINK("http://evil.example","张三")'
      const r2 = row(); r2[3] = '+cmd|/C calc!A0'
      const r3 = row(); r3[3] = '@SUM(A1)'
      const csv = [HEAD, r, r2, r3].map((x) => x.map((c: any) => (String(c).includes(',') || String(c).includes('"') ? `"${String(c).replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')
      await up('formula csv', Buffer.from(csv), 'f.csv')
    }
    // BOM + GBK csv with full-width digits in ID
    {
      const id = makeId(400_001)
      const fw = id.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + +d))
      const r = row({ 4: fw })
      const r2 = row({ 4: ' ' + makeId(400_002).toLowerCase() + ' ' })
      const r3 = row({ 4: makeId(400_003).slice(0, 17) + 'x' })
      const r4 = row({ 2: '１２０１', 0: '１幢' })
      const csv = [HEAD, r, r2, r3, r4].map((x) => x.join(',')).join('\r\n')
      await up('bom utf8 fullwidth', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), 'a.csv')
      const rr = row({ 4: makeId(400_010).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + +d)) })
      await up('gbk fullwidth', gbkEncode([HEAD, rr].map((x) => x.join(',')).join('\r\n')), 'b.csv')
      const wb = new ExcelJS.Workbook(); const ws = wb.addWorksheet('a'); ws.addRow(HEAD); ws.addRow(row({ 4: makeId(400_020).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + +d)) }))
      await up('xlsx fullwidth', Buffer.from(await wb.xlsx.writeBuffer()), 'c.xlsx')
    }
    // two sheets: instructions first
    {
      const wb = new ExcelJS.Workbook(); const s1 = wb.addWorksheet('说明'); s1.addRow(['请在第二页填写']); const s2 = wb.addWorksheet('住户'); s2.addRow(HEAD); s2.addRow(row())
      await up('2 sheets, instructions first', Buffer.from(await wb.xlsx.writeBuffer()), 'two.xlsx')
      const wb2 = new ExcelJS.Workbook(); const t1 = wb2.addWorksheet('住户'); t1.addRow(HEAD); t1.addRow(row()); const t2 = wb2.addWorksheet('其他'); t2.addRow(HEAD); t2.addRow(row({ 4: 'bad' }))
      await up('2 sheets, register first', Buffer.from(await wb2.xlsx.writeBuffer()), 'two2.xlsx')
    }
    // errors -> nothing written
    {
      const wb = new ExcelJS.Workbook(); const ws = wb.addWorksheet('a'); ws.addRow(HEAD); ws.addRow(row()); ws.addRow(row({ 4: '320602199001011234' })); ws.addRow(row({ 0: '99幢' }))
      await up('mixed errors', Buffer.from(await wb.xlsx.writeBuffer()), 'e.xlsx')
    }
    await up('bomb sharedStrings', readFileSync('/tmp/review/bomb.xlsx'), 'bomb.xlsx')
    await up('bomb blank rows', readFileSync('/tmp/review/bomb2.xlsx'), 'bomb2.xlsx')
    const hz = await app.inject({ url: '/healthz' })
    log('healthz', hz.statusCode)
  }, 200_000)
})

function gbkEncode(s: string): Buffer {
  const dec = new TextDecoder('gb18030')
  const need = new Set([...s].filter((ch) => ch.charCodeAt(0) > 0x7f))
  const table = new Map<string, Buffer>()
  for (let hi = 0x81; hi <= 0xfe && table.size < need.size; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue
      const ch = dec.decode(Buffer.from([hi, lo]))
      if (need.has(ch) && !table.has(ch)) table.set(ch, Buffer.from([hi, lo]))
    }
  return Buffer.concat([...s].map((ch) => table.get(ch) ?? Buffer.from(ch)))
}
