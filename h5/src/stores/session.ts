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

  function apply(r: TokenReply) {
    accessToken.value = r.accessToken
    me.value = r.me
  }

  function clear() {
    accessToken.value = null
    me.value = null
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
