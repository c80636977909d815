import type { CascaderOption } from 'vant'
import type { Place } from '../../api/org'

export interface PickedPlace {
  id: number
  kind: 'street' | 'community' | 'compound'
  /** "任港街道 / 大庆社区 / 任港路新村" */
  label: string
}

/**
 * Street → community → compound options for van-cascader. Grids are skipped (a compound's parent is a grid
 * whose parent is the community). `wholeLevel` adds a "整个…" option so the pick can stop one level up.
 * Values are strings like "s12" / "c34" / "p56" / "wc34" (whole community) so levels never collide.
 */
export function buildPlaceOptions(places: Place[], depth: 'compound' | 'community'): CascaderOption[] {
  const byId = new Map(places.map((p) => [p.id, p]))
  const streets = places.filter((p) => p.kind === 'street')
  const communities = places.filter((p) => p.kind === 'community')
  const compounds = places.filter((p) => p.kind === 'compound')
  const communityOf = (compound: Place) => {
    let p = compound.parentId ? byId.get(compound.parentId) : undefined
    while (p && p.kind !== 'community') p = p.parentId ? byId.get(p.parentId) : undefined
    return p
  }
  const compoundsBy = new Map<number, Place[]>()
  for (const c of compounds) {
    const com = communityOf(c)
    if (!com) continue
    const arr = compoundsBy.get(com.id) ?? []
    arr.push(c)
    compoundsBy.set(com.id, arr)
  }
  const zh = (a: Place, b: Place) => a.name.localeCompare(b.name, 'zh-CN')
  return streets.sort(zh).map((s) => {
    const coms = communities.filter((c) => c.parentId === s.id).sort(zh)
    const comOptions: CascaderOption[] = coms.map((c) => {
      if (depth === 'community') return { text: c.name, value: `c${c.id}` }
      const kids = (compoundsBy.get(c.id) ?? []).sort(zh)
      return {
        text: c.name,
        value: `c${c.id}`,
        children: [{ text: '整个社区', value: `wc${c.id}` }, ...kids.map((k) => ({ text: k.name, value: `p${k.id}` }))],
      }
    })
    if (depth === 'community') comOptions.unshift({ text: '整个街道', value: `ws${s.id}` })
    return { text: s.name, value: `s${s.id}`, children: comOptions }
  })
}

/** The cascader's selected path → the org the report or assignment is about. */
export function pickedFromOptions(selected: CascaderOption[]): PickedPlace | null {
  const last = selected[selected.length - 1]
  if (!last) return null
  const v = String(last.value)
  const m = /^(ws|wc|s|c|p)(\d+)$/.exec(v)
  if (!m) return null
  const id = Number(m[2])
  const kind = m[1] === 'p' ? 'compound' : m[1] === 'c' || m[1] === 'wc' ? 'community' : 'street'
  const names = selected.filter((o) => !String(o.value).startsWith('w')).map((o) => o.text)
  return { id, kind, label: names.join(' / ') }
}
