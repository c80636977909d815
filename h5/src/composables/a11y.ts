/**
 * Accessibility that no single page owns:
 * - Vant's toasts are plain divs, so a screen reader never hears "提交成功" or an error. One polite live
 *   region repeats whatever a toast or dialog shows — every showToast/showDialog call, wherever it is made.
 * - Vant draws switches, tabs, cascader options and clickable cells as divs with ARIA roles but handles
 *   only clicks: Enter and Space activate them here, and arrow keys move between tabs and options, as the
 *   WAI-ARIA patterns for those roles expect.
 */
const KEY_ACTIVATED = '[role=button], [role=switch], [role=tab], [role=menuitemradio], [role=radio], [role=checkbox]'
const ARROW_GROUPS: Record<string, string> = { tab: '[role=tablist]', menuitemradio: '[role=menu]' }

let region: HTMLElement | null = null

/** Says `text` to screen readers (politely: after what they are reading). */
export function announce(text: string) {
  if (!region) return
  region.textContent = ''
  // A change of content is what is announced: clearing first makes the same message twice heard twice.
  setTimeout(() => {
    if (region) region.textContent = text
  }, 60)
}

function visible(el: Element) {
  return (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed'
}

export function installA11y(doc: Document = document) {
  region = doc.createElement('div')
  region.className = 'cc-sr-only'
  region.setAttribute('role', 'status')
  region.setAttribute('aria-live', 'polite')
  region.setAttribute('data-test', 'live-region')
  doc.body.appendChild(region)

  const said = new WeakMap<Element, string>()
  const scan = () => {
    for (const el of doc.querySelectorAll('.van-toast, .van-dialog')) {
      if (!visible(el)) {
        said.delete(el)
        continue
      }
      const text = (el.classList.contains('van-dialog')
        ? [el.querySelector('.van-dialog__header')?.textContent, el.querySelector('.van-dialog__message')?.textContent]
        : [el.querySelector('.van-toast__text')?.textContent ?? el.textContent]
      )
        .map((t) => t?.trim())
        .filter(Boolean)
        .join('，')
      if (text && said.get(el) !== text) {
        said.set(el, text)
        announce(text)
      }
    }
  }
  let queued = false
  new MutationObserver(() => {
    if (queued) return
    queued = true
    requestAnimationFrame(() => {
      queued = false
      scan()
    })
  }).observe(doc.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['style', 'class'] })

  doc.addEventListener('keydown', (e) => {
    const el = e.target as HTMLElement | null
    if (!el || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return
    // Native controls already do this; only ARIA-role divs need it.
    if (/^(BUTTON|A|INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || !el.matches(KEY_ACTIVATED)) return
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      el.click()
      return
    }
    const role = el.getAttribute('role')!
    const group = ARROW_GROUPS[role] ? el.closest(ARROW_GROUPS[role]!) : null
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key]
    if (!group || !step) return
    const items = [...group.querySelectorAll<HTMLElement>(`[role=${role}]:not([aria-disabled=true])`)]
    const next = items[(items.indexOf(el) + step + items.length) % items.length]
    if (!next) return
    e.preventDefault()
    next.focus()
    // Tabs follow focus (automatic activation); options wait for Enter, as in a menu.
    if (role === 'tab') next.click()
  })
}
