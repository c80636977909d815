import { createHmac, randomUUID } from 'node:crypto'
import { AppError } from '../../errors.js'

/** Sends one verification code. Implementations: Aliyun (production) and dev (demo mode only). */
export interface SmsProvider {
  readonly name: string
  /** Returns the code when — and only when — the provider is the demo one, for the H5 to show. */
  sendCode(phone: string, code: string): Promise<{ devCode?: string }>
}

/** Demo mode: no SMS leaves the machine; the code is handed back so the demo can be used. */
export class DevSmsProvider implements SmsProvider {
  /** Only the latest codes are kept (tests read them): a demo server that runs for weeks must not grow. */
  static readonly KEEP = 100
  readonly name = 'dev'
  readonly sent: { phone: string; code: string }[] = []
  async sendCode(phone: string, code: string) {
    this.sent.push({ phone, code })
    if (this.sent.length > DevSmsProvider.KEEP) this.sent.splice(0, this.sent.length - DevSmsProvider.KEEP)
    return { devCode: code }
  }
}

export interface AliyunSmsConfig {
  baseUrl: string
  accessKeyId: string
  accessKeySecret: string
  signName: string
  templateCode: string
}

/** RFC 3986 encoding as Aliyun's RPC signature (v1, HMAC-SHA1) requires. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

export function aliyunSignature(params: Record<string, string>, secret: string, method = 'POST'): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&')
  const toSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`
  return createHmac('sha1', `${secret}&`).update(toSign).digest('base64')
}

/** Aliyun 短信服务 SendSms over its RPC protocol, with a configurable endpoint. */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun'
  constructor(
    private readonly cfg: AliyunSmsConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async sendCode(phone: string, code: string) {
    const params: Record<string, string> = {
      AccessKeyId: this.cfg.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: phone,
      RegionId: 'cn-hangzhou',
      SignName: this.cfg.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: this.cfg.templateCode,
      TemplateParam: JSON.stringify({ code }),
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    }
    params.Signature = aliyunSignature(params, this.cfg.accessKeySecret)
    let res: Response
    try {
      res = await this.fetchImpl(new URL('/', this.cfg.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(5000),
      })
    } catch {
      throw new AppError('SMS_FAILED')
    }
    const body = (await res.json().catch(() => ({}))) as { Code?: string; Message?: string }
    if (body.Code === 'isv.BUSINESS_LIMIT_CONTROL') throw new AppError('SMS_TOO_FREQUENT')
    if (body.Code !== 'OK') throw new AppError('SMS_FAILED', body.Code === 'isv.MOBILE_NUMBER_ILLEGAL' ? '手机号无法接收短信' : undefined)
    return {}
  }
}
