/** Photos are shrunk on the phone before upload: a 12-MP photo over 4G is the slowest step of a report. */

export const MAX_EDGE = 1280
export const MAX_BYTES = 400 * 1024

/** Scale (w, h) so the long edge is at most `max`, keeping the aspect ratio; never enlarges. */
export function fitWithin(w: number, h: number, max: number): { width: number; height: number } {
  if (!(w > 0) || !(h > 0)) return { width: 0, height: 0 }
  const long = Math.max(w, h)
  if (long <= max) return { width: Math.round(w), height: Math.round(h) }
  const s = max / long
  return { width: Math.max(1, Math.round(w * s)), height: Math.max(1, Math.round(h * s)) }
}

/** JPEG qualities to try, best first: 0.8, 0.7, … down to `min`. */
export function qualitySteps(start = 0.8, min = 0.4, step = 0.1): number[] {
  const out: number[] = []
  for (let q = start; q >= min - 1e-9; q -= step) out.push(Math.round(q * 100) / 100)
  return out
}

/** Turns "photo.HEIC" into "photo.jpg". */
export function jpegName(name: string): string {
  const base = name.replace(/\.[^./\\]*$/, '') || 'photo'
  return `${base}.jpg`
}

type Decoded = { source: CanvasImageSource; width: number; height: number; close: () => void }

async function decode(file: Blob): Promise<Decoded> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' })
      return { source: bmp, width: bmp.width, height: bmp.height, close: () => bmp.close() }
    } catch {
      // Older WebViews: fall through to <img>, which also applies EXIF orientation in current browsers.
    }
  }
  const url = URL.createObjectURL(file)
  try {
    const img = new Image()
    img.decoding = 'async'
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve()
      img.onerror = () => reject(new Error('无法读取图片'))
      img.src = url
    })
    return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) }
  } catch (e) {
    URL.revokeObjectURL(url)
    throw e
  }
}

const toBlob = (canvas: HTMLCanvasElement, q: number) =>
  new Promise<Blob | null>((resolve) => canvas.toBlob((b) => resolve(b), 'image/jpeg', q))

/**
 * Decode, scale so the long edge ≤ 1280 px, and re-encode as JPEG from quality 0.8 down until ≤ 400 KB.
 * When the browser cannot decode the file (an exotic format), the original goes up and the server decides.
 */
export async function compressImage(file: File, maxEdge = MAX_EDGE, maxBytes = MAX_BYTES): Promise<File> {
  let d: Decoded
  try {
    d = await decode(file)
  } catch {
    return file
  }
  try {
    const { width, height } = fitWithin(d.width, d.height, maxEdge)
    if (!width || !height) return file
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = height
    const ctx = canvas.getContext('2d')
    if (!ctx) return file
    ctx.fillStyle = '#fff' // transparent PNG pixels would turn black in JPEG
    ctx.fillRect(0, 0, width, height)
    ctx.drawImage(d.source, 0, 0, width, height)
    let best: Blob | null = null
    for (const q of qualitySteps()) {
      const b = await toBlob(canvas, q)
      if (!b) break
      best = b
      if (b.size <= maxBytes) break
    }
    if (!best) return file
    // Already small and no smaller after re-encoding: keep the original bytes.
    if (best.size >= file.size && file.type === 'image/jpeg' && width === d.width && height === d.height) return file
    return new File([best], jpegName(file.name), { type: 'image/jpeg', lastModified: Date.now() })
  } finally {
    d.close()
  }
}
