import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Me, Role, TokenReply } from '@cc/shared'
import { authApi } from '../api/auth'
import { bindTokens } from '../api/client'

/** The signed-in user. The access token lives only in memory; the refresh token is an httpOnly cookie. */
export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const accessToken = ref<string | null>(null)
  let refreshing: Promise<boolean> | null = null
  let restored = false

  // A hint (no secret) that this browser holds a refresh cookie. Without it a first visit renders the login
  // page at once instead of waiting a round trip for /auth/refresh to say there is no session (LCP on 2G/3G).
  const HINT = 'cc.session'
  const hint = {
    get: () => {
      try {
        return localStorage.getItem(HINT) === '1'
      } catch {
        return true // storage blocked: always ask the server
      }
    },
    set: (on: boolean) => {
      try {
        if (on) localStorage.setItem(HINT, '1')
        else localStorage.removeItem(HINT)
      } catch {
        /* storage blocked */
      }
    },
  }

  function apply(r: TokenReply) {
    accessToken.value = r.accessToken
    me.value = r.me
    hint.set(true)
  }

  function clear() {
    accessToken.value = null
    me.value = null
    hint.set(false)
  }

  function refresh(): Promise<boolean> {
    refreshing ??= authApi
      .refresh()
      .then((r) => (apply(r), true))
      .catch(() => (clear(), false))
      .finally(() => (refreshing = null))
    return refreshing
  }

  bindTokens({ token: () => accessToken.value, refresh, onSignedOut: clear })

  /** On first navigation: try the refresh cookie to bring back an earlier session. */
  async function restore(): Promise<boolean> {
    if (me.value) return true
    if (restored) return false
    restored = true
    // The WeChat OAuth callback lands on /#/?wx=1 with a fresh cookie and no hint yet.
    if (!hint.get() && !location.hash.includes('wx=1')) return false
    return refresh()
  }

  return {
    me,
    role: computed<Role | null>(() => me.value?.role ?? null),
    signedIn: computed(() => !!me.value),
    restore,
    apply,
    async loginSms(phone: string, code: string) {
      apply(await authApi.loginSms(phone, code))
    },
    async loginPassword(username: string, password: string) {
      apply(await authApi.loginPassword(username, password))
    },
    async switchRole(grantId: number) {
      apply(await authApi.switchRole(grantId))
    },
    async logout() {
      try {
        await authApi.logout()
      } finally {
        clear()
      }
    },
  }
})
