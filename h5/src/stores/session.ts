import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Me, Role, TokenReply } from '@cc/shared'
import { authApi } from '../api/auth'
import { ApiError, bindTokens } from '../api/client'

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

  // Who was signed in (no token, no secret: the same profile 我的 shows). With no network a reload cannot
  // reach /auth/refresh, yet the gate and the resident's pass must keep working offline: the snapshot brings
  // the user back until the network returns, and the refresh cookie then issues a token as usual.
  const SNAPSHOT = 'cc.me'
  const snapshot = {
    get: (): Me | null => {
      try {
        return JSON.parse(localStorage.getItem(SNAPSHOT) ?? 'null') as Me | null
      } catch {
        return null
      }
    },
    set: (m: Me | null) => {
      try {
        if (m) localStorage.setItem(SNAPSHOT, JSON.stringify(m))
        else localStorage.removeItem(SNAPSHOT)
      } catch {
        /* storage blocked */
      }
    },
  }
  /** Signed in from the snapshot while offline; the next API call refreshes first. */
  const offline = ref(false)

  function apply(r: TokenReply) {
    accessToken.value = r.accessToken
    me.value = r.me
    offline.value = false
    hint.set(true)
    snapshot.set(r.me)
  }

  function clear() {
    accessToken.value = null
    me.value = null
    offline.value = false
    hint.set(false)
    snapshot.set(null)
  }

  function refresh(): Promise<boolean> {
    refreshing ??= authApi
      .refresh()
      .then((r) => (apply(r), true))
      .catch((e: unknown) => {
        // No network (status 0) is not a signed-out session: keep the snapshot and try again later.
        const saved = e instanceof ApiError && e.status === 0 ? snapshot.get() : null
        if (saved) {
          me.value = saved
          offline.value = true
          return true
        }
        clear()
        return false
      })
      .finally(() => (refreshing = null))
    return refreshing
  }

  bindTokens({ token: () => accessToken.value, refresh, onSignedOut: clear, pending: () => offline.value })

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
    offline,
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
