import type { PassCard } from '../../api/register'

/**
 * The cards just issued, handed from the pass list to the print page. Kept in sessionStorage (this tab only)
 * so a reload of the print page prints the same cards instead of issuing new ones; a card's QR admits one
 * resident and is no secret beyond what the printed card itself shows.
 */
const KEY = 'cc.cards'

export function saveCards(cards: PassCard[]) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(cards))
  } catch {
    /* storage blocked: the print page issues them again */
  }
}

export function loadCards(ids: number[]): PassCard[] | null {
  try {
    const cards = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as PassCard[] | null
    if (!cards?.length) return null
    const want = new Set(ids)
    return cards.length === want.size && cards.every((c) => want.has(c.passId)) ? cards : null
  } catch {
    return null
  }
}
