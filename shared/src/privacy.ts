/** Personal-data helpers shared by server (redaction before publishing) and h5 (display). */

/**
 * Who will read a text. The reporter and the district see what was written; everyone else gets it through
 * `redactFor`. `public` text is reviewed by an editor before it goes out, so digit runs that are not
 * recognisably a phone or ID number are left for the editor to confirm (see `suspectDigitRuns`); units and
 * other residents have no such reviewer, so every suspect run is removed for them.
 */
export type Audience = 'public' | 'unit' | 'resident'

export const REDACTED_PHONE = '[电话已隐去]'
export const REDACTED_ID = '[身份证号已隐去]'
export const REDACTED_NUMBER = '[号码已隐去]'

/** Characters people put between the digits of one number: spaces, dashes, dots, brackets, "+". */
const SEPARATORS = new Set([' ', '-', '\u2010', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '.', '\u00B7', '\u2022', '(', ')', '[', ']', '\u3010', '\u3011', '+'])
const MAX_GAP = 3
const TRACKING_CODE = /CC\d{6}[2-9A-HJ-NP-Z]{5}/g
const INVISIBLE = /^[\p{Cf}\s]$/u

const MOBILE = /^(?:0086|86|0)?1[3-9]\d{9}$/
const LANDLINE = /^(?:(?:0086|86)?0\d{2,3}|(?:0086|86)[1-9]\d{1,2})\d{7,8}$/
const LOCAL = /^[2-9]\d{6,7}$/
const ID_NUMBER = /^(?:\d{17}[\dX]|[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})$/
const ID_IN_RUN = /[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]/
const CONTAINS_PII = /1[3-9]\d{9}|\d{17}[\dX]|0\d{2,3}[2-9]\d{6,7}/

interface Run {
  /** UTF-16 offsets in the original text, end exclusive. */
  start: number
  end: number
  digits: string
  groups: string[]
}

type Kind = 'phone' | 'id' | 'suspect' | 'ok'

/** One code point as matching sees it: NFKC folds full-width digits, brackets, "+" and spaces. */
function classOf(ch: string): 'digit' | 'sep' | 'x' | 'other' {
  const n = ch.normalize('NFKC')
  if (n.length === 1 && n >= '0' && n <= '9') return 'digit'
  if (n === 'X' || n === 'x') return 'x'
  if (SEPARATORS.has(n) || INVISIBLE.test(ch)) return 'sep'
  return 'other'
}

/**
 * Every number in the text, read across separators: "0513-8555 1234", "(0513)12345678", "+86 139…",
 * "320602 19800101 123X" and full-width "１３９…" are each one run. Tracking codes are not numbers.
 */
function digitRuns(text: string): Run[] {
  const cps: { ch: string; at: number; cls: ReturnType<typeof classOf> }[] = []
  let at = 0
  for (const ch of text) {
    cps.push({ ch, at, cls: classOf(ch) })
    at += ch.length
  }
  for (const m of text.matchAll(TRACKING_CODE)) for (const cp of cps) if (cp.at >= m.index! && cp.at < m.index! + m[0].length) cp.cls = 'other'
  const runs: Run[] = []
  let i = 0
  while (i < cps.length) {
    if (cps[i]!.cls !== 'digit') {
      i++
      continue
    }
    // A leading "+" or opening bracket belongs to the number it introduces.
    let s = i
    while (s > 0 && /^[+(\[\u3010]$/.test(cps[s - 1]!.ch.normalize('NFKC'))) s--
    const groups: string[] = ['']
    let j = i
    let last = i
    while (j < cps.length) {
      const c = cps[j]!
      if (c.cls === 'digit') {
        groups[groups.length - 1] += c.ch.normalize('NFKC')
        last = j++
        continue
      }
      if (c.cls === 'x') {
        // The check character of an ID number ends the run.
        const digits = groups.join('')
        const next = cps[j + 1]
        if (digits.length === 17 && !(next && /^[0-9A-Za-z]$/.test(next.ch.normalize('NFKC')))) {
          groups[groups.length - 1] += 'X'
          last = j
        }
        break
      }
      if (c.cls !== 'sep') break
      let k = j
      while (k < cps.length && cps[k]!.cls === 'sep' && k - j < MAX_GAP + 1) k++
      if (k - j > MAX_GAP || k >= cps.length || (cps[k]!.cls !== 'digit' && !(cps[k]!.cls === 'x' && groups.join('').length === 17))) break
      groups.push('')
      j = k
    }
    const end = cps[last]!.at + cps[last]!.ch.length
    // A closing bracket right after the number goes with it when the run opened one.
    const close = cps[last + 1]
    const opened = s < i
    const endWithClose = opened && close && /^[)\]\u3011]$/.test(close.ch.normalize('NFKC')) ? close.at + close.ch.length : end
    runs.push({ start: cps[s]!.at, end: endWithClose, digits: groups.join(''), groups: groups.filter(Boolean) })
    i = last + 1
  }
  return runs
}

function isDate(y: string, m: string, d: string) {
  return /^(?:19|20)\d{2}$/.test(y) && +m >= 1 && +m <= 12 && +d >= 1 && +d <= 31
}

/** "2020-02-13", "2020.2.13 10 30" and "20200213" are dates, not someone's number. */
function isDateLike(r: Run): boolean {
  const g = r.groups
  if (g.length === 1) return g[0]!.length === 8 && isDate(g[0]!.slice(0, 4), g[0]!.slice(4, 6), g[0]!.slice(6))
  if (g.length < 3 || g.length > 6 || g[0]!.length !== 4 || g[1]!.length > 2 || g[2]!.length > 2) return false
  return isDate(g[0]!, g[1]!, g[2]!) && g.slice(3).every((t) => t.length <= 2 && +t < 60)
}

function kindOf(r: Run): Kind {
  const d = r.digits.toUpperCase()
  if (d.replace(/X$/, '').length < 7) return 'ok'
  if (ID_NUMBER.test(d)) return 'id'
  if (MOBILE.test(d) || LANDLINE.test(d)) return 'phone'
  if (isDateLike(r)) return 'ok'
  if (LOCAL.test(d)) return 'phone'
  if (CONTAINS_PII.test(d)) return ID_IN_RUN.test(d) ? 'id' : 'phone'
  return 'suspect'
}

/**
 * The one redaction function: what a reader other than the reporter and the district may see of a text.
 * Matching runs on a normalised reading (NFKC, separators and brackets dropped, 0086/86/+86 prefixes), so
 * "０１３９…", "(0513)12345678", "1391 111 2222" and "320602 19800101 123X" are caught; the rest of the
 * text is returned as written.
 */
export function redactFor(audience: Audience, text: string): string {
  let out = ''
  let from = 0
  for (const r of digitRuns(text)) {
    const kind = kindOf(r)
    const label = kind === 'id' ? REDACTED_ID : kind === 'phone' ? REDACTED_PHONE : kind === 'suspect' && audience !== 'public' ? REDACTED_NUMBER : null
    if (!label) continue
    out += text.slice(from, r.start) + label
    from = r.end
  }
  return out + text.slice(from)
}

/** Keys of a view that hold identifiers, links and times, never words somebody typed. */
const NOT_TEXT = /^(?:id|url|thumbUrl|trackingCode|status|kind|fromStatus|toStatus|at|until)$|At$/

/**
 * A whole view for one audience: every string in it that somebody typed is redacted, however deep and
 * whatever it is called, so a text field added to the view later is covered without anyone remembering to.
 */
export function redactView<T>(audience: Audience, view: T): T {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return NOT_TEXT.test(key) ? v : redactFor(audience, v)
    if (Array.isArray(v)) return v.map((x) => walk(x, key))
    if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]))
    return v
  }
  return walk(view, '') as T
}

/** Public wording (bulletins, errata): phones and ID numbers go; other long numbers wait for the editor. */
export function redactPublicText(text: string): string {
  return redactFor('public', text)
}

/** Runs of 7+ digits still in a (redacted) public text, as written: publishing them needs the editor's yes. */
export function suspectDigitRuns(text: string): string[] {
  return digitRuns(text)
    .filter((r) => kindOf(r) !== 'ok')
    .map((r) => text.slice(r.start, r.end))
}

const SELF_ID = /(?:我是|我叫|我姓|本人(?:是|叫|姓)?|我家住|我住在?|家住)[^，。；、,.;!?！？\s]{1,15}/g
const ROOM = /\d+\s*(?:号楼|幢|栋|号)\s*(?:\d+\s*单元)?\s*\d+\s*(?:室|号房|房间)|\d+\s*单元\s*\d+\s*(?:室|号)?|\d{3,4}\s*室|(?<![\d-])\d{1,3}-\d{1,2}-\d{3,4}(?![\d-])/g
const HONORIFIC = /[\u4e00-\u9fa5](?:先生|女士)/g

/**
 * Things in public wording that may identify the reporter and that no pattern can safely remove: a
 * self-introduction ("我是3号楼张三"), a flat ("5号楼302室"), a name with an honorific, a long number.
 * The editor sees them next to the item and decides.
 */
export function personalDetailHints(text: string): string[] {
  const t = text.normalize('NFKC')
  const out: string[] = []
  for (const m of t.matchAll(SELF_ID)) out.push(`疑似反映人自述身份：“${m[0]}”`)
  for (const m of t.matchAll(ROOM)) out.push(`疑似门牌号：“${m[0]}”`)
  for (const m of t.matchAll(HONORIFIC)) out.push(`疑似人名：“${m[0]}”`)
  for (const d of suspectDigitRuns(text)) out.push(`含有7位以上数字：“${d}”，发布前需确认`)
  return [...new Set(out)]
}

export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '')
  if (d.length < 7) return '*'.repeat(d.length)
  return `${d.slice(0, 3)}****${d.slice(-4)}`
}

/** 320602********1234: the issuing area (6) and the last four, as registers print it; the birth date is hidden. */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length)
  if (id.length < 15) return `${id.slice(0, 2)}${'*'.repeat(id.length - 6)}${id.slice(-4)}`
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`
}

export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return '*'
  return chars[0] + '*'.repeat(chars.length - 1)
}

export const PHONE_PATTERN = '^1[3-9]\\d{9}$'
export function isMobilePhone(s: string): boolean {
  return new RegExp(PHONE_PATTERN).test(s)
}
