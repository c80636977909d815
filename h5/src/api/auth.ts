import type { Me, TokenReply } from '@cc/shared'
import { api } from './client'

export const authApi = {
  sendCode: (phone: string) => api<{ sent: boolean; retryAfter: number; devCode?: string }>('/auth/sms/send', { method: 'POST', body: { phone }, auth: false }),
  loginSms: (phone: string, code: string) => api<TokenReply>('/auth/login/sms', { method: 'POST', body: { phone, code }, auth: false }),
  loginPassword: (username: string, password: string) => api<TokenReply>('/auth/login/password', { method: 'POST', body: { username, password }, auth: false }),
  refresh: () => api<TokenReply>('/auth/refresh', { method: 'POST', body: {}, auth: false }),
  switchRole: (grantId: number) => api<TokenReply>('/auth/switch-role', { method: 'POST', body: { grantId } }),
  logout: () => api<{ ok: boolean }>('/auth/logout', { method: 'POST', body: {} }),
  me: () => api<Me>('/auth/me'),
  /** Which logins the server has configured (WeChat needs an appid). */
  options: () => api<{ wechatOauth: boolean; wechatMini: boolean }>('/auth/options', { auth: false }),
}
