/** Personal-data helpers shared by server (redaction before publishing) and h5 (display). */

const PHONE_RE = /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)/g
const LANDLINE_RE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g
const ID_RE = /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g

/** Removes phone and ID numbers from text meant for the public, whatever the editor typed. */
export function redactPublicText(text: string): string {
  return text.replace(ID_RE, '[身份证号已隐去]').replace(PHONE_RE, '[电话已隐去]').replace(LANDLINE_RE, '[电话已隐去]')
}

export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '')
  if (d.length < 7) return '*'.repeat(d.length)
  return `${d.slice(0, 3)}****${d.slice(-4)}`
}

export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length)
  return `${id.slice(0, 4)}**********${id.slice(-4)}`
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
