import { randomBytes } from 'node:crypto'

export interface AppConfig {
  /** demo: the dev SMS provider shows codes and demo accounts are seeded. production: real providers only. */
  mode: 'demo' | 'production'
  databaseUrl: string
  jwtSecret: string
  /** 32-byte key for AES-256-GCM of personal data, and a separate key for lookup HMACs. */
  dataKey: Buffer
  hmacKey: Buffer
  accessTtlSeconds: number
  refreshTtlDays: number
  publicBaseUrl: string
  wechat: { baseUrl: string; appId: string; secret: string; mpAppId: string; mpSecret: string; templateStatus: string }
  sms: { provider: 'dev' | 'aliyun'; baseUrl: string; accessKeyId: string; accessKeySecret: string; signName: string; templateCode: string }
  uploadDir: string
  h5Dist: string | null
  logLevel: string
  /** Trust X-Forwarded-For from a reverse proxy. */
  trustProxy: boolean
  /** Run background jobs (reminders, escalation) in this process. */
  jobs: boolean
  /** Reports one resident may file per hour (abuse guard). */
  complaintsPerHour: number
  /** Demo only: seed ~60 days of complaints, bulletins, gate checks and quarantine snapshots (DEMO_HISTORY=0: none). */
  demoHistory: boolean
}

function key(name: string, env: NodeJS.ProcessEnv, fallback?: Buffer): Buffer {
  const v = env[name]
  if (v) {
    const b = Buffer.from(v, 'base64')
    if (b.length !== 32) throw new Error(`${name} must be 32 bytes, base64-encoded`)
    return b
  }
  if (fallback) return fallback
  throw new Error(`${name} is required in production`)
}

/** Reads configuration from the environment. Demo mode fills secrets with per-data-folder values. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<AppConfig> & { secrets?: DemoSecrets } = {}): AppConfig {
  const mode = (env.APP_MODE ?? (env.DATABASE_URL ? 'production' : 'demo')) as AppConfig['mode']
  if (mode !== 'demo' && mode !== 'production') throw new Error('APP_MODE must be demo or production')
  const s = overrides.secrets
  const demo = mode === 'demo'
  const jwtSecret = env.JWT_SECRET ?? (demo ? (s?.jwtSecret ?? randomBytes(32).toString('hex')) : undefined)
  if (!jwtSecret || jwtSecret.length < 32) throw new Error('JWT_SECRET (≥32 chars) is required in production')
  const smsProvider = (env.SMS_PROVIDER ?? (demo ? 'dev' : 'aliyun')) as 'dev' | 'aliyun'
  if (!demo && smsProvider === 'dev') throw new Error('the dev SMS provider is only allowed in demo mode')
  const cfg: AppConfig = {
    mode,
    databaseUrl: env.DATABASE_URL ?? '',
    jwtSecret,
    dataKey: key('DATA_KEY', env, demo ? Buffer.from(s?.dataKey ?? randomBytes(32).toString('base64'), 'base64') : undefined),
    hmacKey: key('HMAC_KEY', env, demo ? Buffer.from(s?.hmacKey ?? randomBytes(32).toString('base64'), 'base64') : undefined),
    accessTtlSeconds: Number(env.ACCESS_TTL_SECONDS ?? 900),
    refreshTtlDays: Number(env.REFRESH_TTL_DAYS ?? 30),
    publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`,
    wechat: {
      baseUrl: env.WECHAT_BASE_URL ?? 'https://api.weixin.qq.com',
      appId: env.WECHAT_APPID ?? '',
      secret: env.WECHAT_SECRET ?? '',
      mpAppId: env.WECHAT_MINI_APPID ?? '',
      mpSecret: env.WECHAT_MINI_SECRET ?? '',
      templateStatus: env.WECHAT_TEMPLATE_STATUS ?? '',
    },
    sms: {
      provider: smsProvider,
      baseUrl: env.SMS_BASE_URL ?? 'https://dysmsapi.aliyuncs.com',
      accessKeyId: env.SMS_ACCESS_KEY_ID ?? '',
      accessKeySecret: env.SMS_ACCESS_KEY_SECRET ?? '',
      signName: env.SMS_SIGN_NAME ?? '崇川在线',
      templateCode: env.SMS_TEMPLATE_CODE ?? '',
    },
    uploadDir: env.UPLOAD_DIR ?? '.data/uploads',
    h5Dist: env.H5_DIST ?? null,
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: env.TRUST_PROXY === '1',
    jobs: env.JOBS !== '0',
    complaintsPerHour: Number(env.COMPLAINTS_PER_HOUR ?? 20),
    demoHistory: demo && env.DEMO_HISTORY !== '0',
  }
  return { ...cfg, ...stripSecrets(overrides) }
}

function stripSecrets(o: Partial<AppConfig> & { secrets?: DemoSecrets }): Partial<AppConfig> {
  const { secrets: _s, ...rest } = o
  return rest
}

export interface DemoSecrets {
  jwtSecret: string
  dataKey: string
  hmacKey: string
}
export function newDemoSecrets(): DemoSecrets {
  return {
    jwtSecret: randomBytes(32).toString('hex'),
    dataKey: randomBytes(32).toString('base64'),
    hmacKey: randomBytes(32).toString('base64'),
  }
}
