import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { aliyunSignature } from '../../server/src/modules/auth/sms.js'

/** A local Aliyun SendSms endpoint: checks the RPC signature and records what would have been sent. */
export async function startFakeAliyunSms(accessKeyId: string, secret: string) {
  const sent: { phone: string; params: Record<string, string> }[] = []
  const server = http.createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const params = Object.fromEntries(new URLSearchParams(body))
    const { Signature, ...rest } = params
    const reply = (o: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(o))
    }
    if (params.AccessKeyId !== accessKeyId) return reply({ Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' })
    if (Signature !== aliyunSignature(rest, secret)) return reply({ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched.' })
    if (params.Action !== 'SendSms' || !/^1\d{10}$/.test(params.PhoneNumbers ?? '')) return reply({ Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: 'invalid phone' })
    sent.push({ phone: params.PhoneNumbers!, params })
    reply({ Code: 'OK', Message: 'OK', BizId: String(sent.length), RequestId: 'req' })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { baseUrl: `http://127.0.0.1:${port}`, sent, close: () => new Promise<void>((r) => server.close(() => r())) }
}
