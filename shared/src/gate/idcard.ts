/**
 * Resident ID numbers (居民身份证号, GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence and an
 * ISO 7064 MOD 11-2 check character. Used by the register form, the spreadsheet import and the claim page.
 * Masking for display is maskIdNumber / maskName in ../privacy.ts.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

/** As typed or pasted: spaces dropped, full-width digits and Ｘ folded to ASCII, x upper-cased. */
export function normaliseIdNumber(s: string): string {
  return String(s ?? '')
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .toUpperCase()
}

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckChar 需要 17 位数字')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!
  return CHECK_CHARS[sum % 11]!
}

/** Birth date encoded in a (normalised) ID number, null when it is not a real date from 1900 up to `today`. */
export function idBirthDate(id: string, today: Date = new Date()): { year: number; month: number; day: number } | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(id)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const d = new Date(Date.UTC(year, month - 1, day))
  if (year < 1900 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  if (d.getTime() > today.getTime()) return null
  return { year, month, day }
}

/** Chinese message for what is wrong with an ID number, or null when it is valid. Normalises first. */
export function idNumberError(s: string, today: Date = new Date()): string | null {
  const id = normaliseIdNumber(s)
  if (!id) return '请填写身份证号'
  if (id.length !== 18) return `身份证号应为18位（当前${id.length}位）`
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号只能包含数字，最后一位可以是X'
  if (id[0] === '0') return '身份证号的地区码不正确'
  if (!idBirthDate(id, today)) return '身份证号中的出生日期无效'
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return '身份证号校验位不正确，请核对'
  return null
}

export function isValidIdNumber(s: string, today: Date = new Date()): boolean {
  return idNumberError(s, today) === null
}
