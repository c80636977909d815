/**
 * Vant's Popup draws its close icon and its overlay as role=button with no name (axe: aria-command-name),
 * so a screen reader hears "button" twice. Both close the sheet: they are named 关闭 once they are drawn.
 */
export function labelPopupControls() {
  requestAnimationFrame(() => {
    for (const el of document.querySelectorAll('.van-overlay[role=button]:not([aria-label]), .van-popup__close-icon[role=button]:not([aria-label])')) {
      el.setAttribute('aria-label', '关闭')
    }
  })
}
