import { randomInt, randomUUID } from 'node:crypto'
import argon2 from 'argon2'
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { maskPhone, type Me, type TokenReply } from '@cc/shared'
import { decrypt, encrypt, lookupHash, randomToken, sha256, sixDigits } from '../../crypto.js'
import { AppError } from '../../errors.js'
import { audit } from '../audit/audit.service.js'
import { linkResidentsByPhone } from '../households/households.people.js'
import { ensureResidentGrant, findUserById, findUserByUsername, grantsOf, type GrantWithOrg } from './auth.repository.js'
import { refreshTokens, smsCodes, users, type UserRow } from './auth.table.js'
import type { SmsProvider } from './sms.js'
import type { WechatClient } from './wechat.client.js'

export const REFRESH_COOKIE = 'cc_rt'
const SMS_TTL_SECONDS = 300
const SMS_RESEND_SECONDS = 60
const SMS_DAILY_MAX = 10
const SMS_MAX_ATTEMPTS = 5
// Verifying against a real hash when the user does not exist keeps response time from telling who exists.
const DUMMY_HASH = argon2.hash('not-a-password-0000', { type: argon2.argon2id })

export type Client = 'h5' | 'miniprogram'

const NAME_CODE = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
/** A resident's name as staff and events show it: neutral and random, never derived from the phone. */
export function residentDisplayName(): string {
  let code = ''
  for (let i = 0; i < 4; i++) code += NAME_CODE[randomInt(NAME_CODE.length)]
  return `居民${code}`
}

export interface AuthDeps {
  app: FastifyInstance
  sms: SmsProvider
  wechat: WechatClient
}

export function createAuthService({ app, sms, wechat }: AuthDeps) {
  const { db, config } = app
  const phoneHash = (phone: string) => lookupHash(config.hmacKey, `phone:${phone}`)
  const codeHash = (phone: string, code: string) => lookupHash(config.hmacKey, `sms:${phone}:${code}`)

  async function me(user: UserRow, grant: GrantWithOrg, all: GrantWithOrg[]): Promise<Me> {
    return {
      id: user.id,
      displayName: user.displayName,
      phoneMasked: user.phoneEnc ? maskPhone(decrypt(config.dataKey, user.phoneEnc)) : null,
      role: grant.role,
      grantId: grant.id,
      orgId: grant.orgId,
      orgName: grant.orgName,
      grants: all.map((g) => ({ id: g.id, role: g.role, orgId: g.orgId, orgName: g.orgName })),
    }
  }

  /** Signs an access token for one grant and starts (or continues) a refresh-token family. */
  async function issue(req: FastifyRequest, reply: FastifyReply, user: UserRow, grantId: number | null, client: Client, familyId?: string): Promise<TokenReply> {
    if (user.disabled) throw new AppError('ACCOUNT_DISABLED')
    const all = await grantsOf(db, user.id)
    if (all.length === 0) throw new AppError('FORBIDDEN', '该账号尚未分配角色')
    const grant = (grantId ? all.find((g) => g.id === grantId) : null) ?? all.find((g) => g.role !== 'resident') ?? all[0]!
    const family = familyId ?? randomUUID()
    // `sid` ties the access token to its login: revoking the family (logout, reuse) stops the token too.
    const accessToken = await reply.jwtSign(
      { sub: String(user.id), gid: grant.id, sid: family, role: grant.role, org: grant.orgId, path: grant.orgPath },
      { expiresIn: config.accessTtlSeconds },
    )
    const refresh = randomToken()
    await db.insert(refreshTokens).values({
      userId: user.id,
      grantId: grant.id,
      familyId: family,
      tokenHash: sha256(refresh),
      expiresAt: new Date(Date.now() + config.refreshTtlDays * 86400_000),
      userAgent: req.headers['user-agent']?.slice(0, 200) ?? null,
    })
    await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id))
    const body: TokenReply = { accessToken, expiresIn: config.accessTtlSeconds, me: await me(user, grant, all) }
    if (client === 'miniprogram') body.refreshToken = refresh
    else setRefreshCookie(reply, refresh)
    return body
  }

  function setRefreshCookie(reply: FastifyReply, token: string) {
    reply.setCookie(REFRESH_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.publicBaseUrl.startsWith('https://'),
      path: '/api/v1/auth',
      maxAge: config.refreshTtlDays * 86400,
    })
  }

  async function findOrCreateByPhone(phone: string): Promise<UserRow> {
    const hash = phoneHash(phone)
    return db.transaction(async (tx) => {
      await tx
        .insert(users)
        .values({ displayName: residentDisplayName(), phoneHash: hash, phoneEnc: encrypt(config.dataKey, phone) })
        .onConflictDoNothing()
      const [u] = await tx.select().from(users).where(eq(users.phoneHash, hash))
      await ensureResidentGrant(tx, u!.id)
      return u!
    })
  }

  async function findOrCreateByOpenid(openid: string, unionid?: string): Promise<UserRow> {
    return db.transaction(async (tx) => {
      await tx
        .insert(users)
        .values({ displayName: '微信用户', wechatOpenid: openid, wechatUnionid: unionid ?? null })
        .onConflictDoNothing()
      const [u] = await tx.select().from(users).where(eq(users.wechatOpenid, openid))
      await ensureResidentGrant(tx, u!.id)
      return u!
    })
  }

  return {
    phoneHash,

    async sendSmsCode(phone: string): Promise<{ sent: boolean; retryAfter: number; devCode?: string }> {
      const hash = phoneHash(phone)
      const [last] = await db
        .select({ createdAt: smsCodes.createdAt })
        .from(smsCodes)
        .where(eq(smsCodes.phoneHash, hash))
        .orderBy(desc(smsCodes.createdAt))
        .limit(1)
      if (last) {
        const wait = SMS_RESEND_SECONDS - Math.floor((Date.now() - last.createdAt.getTime()) / 1000)
        if (wait > 0) throw new AppError('SMS_TOO_FREQUENT', `请 ${wait} 秒后再获取验证码`, { retryAfter: wait })
      }
      const [{ n }] = (await db
        .select({ n: sql<number>`count(*)::int` })
        .from(smsCodes)
        .where(and(eq(smsCodes.phoneHash, hash), gt(smsCodes.createdAt, sql`now() - interval '1 day'`)))) as [{ n: number }]
      if (n >= SMS_DAILY_MAX) throw new AppError('SMS_TOO_FREQUENT', '今天获取验证码次数已达上限')
      const code = sixDigits()
      const sent = await sms.sendCode(phone, code)
      await db.insert(smsCodes).values({ phoneHash: hash, codeHash: codeHash(phone, code), expiresAt: new Date(Date.now() + SMS_TTL_SECONDS * 1000) })
      return { sent: true, retryAfter: SMS_RESEND_SECONDS, ...(config.mode === 'demo' && sent.devCode ? { devCode: sent.devCode } : {}) }
    },

    async loginWithSms(req: FastifyRequest, reply: FastifyReply, phone: string, code: string, client: Client) {
      const hash = phoneHash(phone)
      const ok = await db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(smsCodes)
          .where(and(eq(smsCodes.phoneHash, hash), isNull(smsCodes.consumedAt), gt(smsCodes.expiresAt, sql`now()`)))
          .orderBy(desc(smsCodes.createdAt))
          .limit(1)
          .for('update')
        if (!row || row.attempts >= SMS_MAX_ATTEMPTS) return false
        if (row.codeHash !== codeHash(phone, code)) {
          await tx.update(smsCodes).set({ attempts: row.attempts + 1 }).where(eq(smsCodes.id, row.id))
          return false
        }
        await tx.update(smsCodes).set({ consumedAt: new Date() }).where(eq(smsCodes.id, row.id))
        return true
      })
      if (!ok) throw new AppError('BAD_SMS_CODE')
      const user = await findOrCreateByPhone(phone)
      // A resident the community registered with this phone gets their household and pass on first login.
      await linkResidentsByPhone(db, user.id, phoneHash(phone))
      const grants = await grantsOf(db, user.id)
      const resident = grants.find((g) => g.role === 'resident')
      await audit(db, null, { action: 'auth.login.sms', targetType: 'user', targetId: user.id }, user.id)
      return issue(req, reply, user, resident?.id ?? null, client)
    },

    async loginWithPassword(req: FastifyRequest, reply: FastifyReply, username: string, password: string, client: Client) {
      const user = await findUserByUsername(db, username)
      const valid = user?.passwordHash ? await argon2.verify(user.passwordHash, password) : (await argon2.verify(await DUMMY_HASH, password), false)
      if (!user || !valid) {
        await audit(db, null, { action: 'auth.login.failed', detail: { username: username.slice(0, 64) } })
        throw new AppError('BAD_CREDENTIALS')
      }
      await audit(db, null, { action: 'auth.login.password', targetType: 'user', targetId: user.id }, user.id)
      return issue(req, reply, user, null, client)
    },

    async loginWithWechatMini(req: FastifyRequest, reply: FastifyReply, code: string) {
      const s = await wechat.code2Session(code)
      const user = await findOrCreateByOpenid(s.openid, s.unionid)
      await audit(db, null, { action: 'auth.login.wechat_mini', targetType: 'user', targetId: user.id }, user.id)
      return issue(req, reply, user, null, 'miniprogram')
    },

    async loginWithWechatOauth(req: FastifyRequest, reply: FastifyReply, code: string) {
      const s = await wechat.oauthAccessToken(code)
      const user = await findOrCreateByOpenid(s.openid, s.unionid)
      await audit(db, null, { action: 'auth.login.wechat_web', targetType: 'user', targetId: user.id }, user.id)
      return issue(req, reply, user, null, 'h5')
    },

    /** Rotates a refresh token. Presenting one that was already used revokes its whole family. */
    async refresh(req: FastifyRequest, reply: FastifyReply, token: string | undefined, client: Client, switchToGrant?: number) {
      if (!token) throw new AppError('UNAUTHENTICATED')
      const outcome = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, sha256(token))).for('update')
        if (!row) return { error: 'UNAUTHENTICATED' as const }
        if (row.usedAt || row.revokedAt) {
          await tx.update(refreshTokens).set({ revokedAt: new Date() }).where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)))
          await audit(tx, req, { action: 'auth.refresh.reuse', targetType: 'user', targetId: row.userId, detail: { family: row.familyId } }, row.userId)
          return { error: 'TOKEN_EXPIRED' as const, reuse: row.familyId }
        }
        if (row.expiresAt.getTime() < Date.now()) return { error: 'TOKEN_EXPIRED' as const }
        await tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id))
        return { row }
      })
      if ('error' in outcome) {
        if ('reuse' in outcome && outcome.reuse) app.accountState.forgetFamily(outcome.reuse)
        if (client === 'h5') reply.clearCookie(REFRESH_COOKIE, { path: '/api/v1/auth' })
        throw new AppError(outcome.error ?? 'UNAUTHENTICATED')
      }
      const user = await findUserById(db, outcome.row.userId)
      if (!user) throw new AppError('UNAUTHENTICATED')
      return issue(req, reply, user, switchToGrant ?? outcome.row.grantId, client, outcome.row.familyId)
    },

    async logout(req: FastifyRequest, reply: FastifyReply, token: string | undefined) {
      const families = new Set<string>()
      if (token) {
        const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, sha256(token)))
        if (row) families.add(row.familyId)
      }
      // The access token's own login ends too, even when the client did not send its refresh token.
      if (req.auth?.sid) families.add(req.auth.sid)
      for (const f of families) {
        await db.update(refreshTokens).set({ revokedAt: new Date() }).where(and(eq(refreshTokens.familyId, f), isNull(refreshTokens.revokedAt)))
        app.accountState.forgetFamily(f)
      }
      reply.clearCookie(REFRESH_COOKIE, { path: '/api/v1/auth' })
      if (req.auth) await audit(db, req, { action: 'auth.logout', targetType: 'user', targetId: req.auth.userId })
    },

    async me(userId: number, grantId: number): Promise<Me> {
      const user = await findUserById(db, userId)
      if (!user || user.disabled) throw new AppError('UNAUTHENTICATED')
      const all = await grantsOf(db, userId)
      const grant = all.find((g) => g.id === grantId)
      if (!grant) throw new AppError('UNAUTHENTICATED')
      return me(user, grant, all)
    },

    authorizeUrl: (redirectUri: string, state: string) => wechat.authorizeUrl(redirectUri, state),
  }
}
export type AuthService = ReturnType<typeof createAuthService>

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id })
}
