import type { Place } from '../../api/org'
import type { SuggestedUnit } from '../../api/complaints'

/**
 * The unit an assignment most likely goes to, derived from the complaint's place when the server does not
 * say: the community that holds a compound (through its grid) or the community itself; a place that is not
 * in the street → compound tree is a market entity, which is its own accountable unit.
 */
export function suggestUnit(placeOrgId: number | null, placeName: string, places: Place[]): SuggestedUnit | null {
  if (!placeOrgId) return null
  const byId = new Map(places.map((p) => [p.id, p]))
  let p = byId.get(placeOrgId)
  if (!p) return { id: placeOrgId, kind: 'market', name: placeName, label: placeName }
  while (p && p.kind !== 'community') p = p.parentId ? byId.get(p.parentId) : undefined
  if (!p) return null
  const street = p.parentId ? byId.get(p.parentId) : undefined
  return { id: p.id, kind: 'community', name: p.name, label: street ? `${street.name} / ${p.name}` : p.name }
}
