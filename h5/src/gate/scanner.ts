import qrWorkerUrl from 'virtual:qr-worker-url'

export interface ScanHit {
  text: string
  /** Milliseconds the successful decode of that frame took. */
  decodeMs: number
}

export interface Scanner {
  stop(): void
}

type Engine = Worker | BarcodeDetectorLike
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>
}

let engine: Promise<Engine> | null = null

/**
 * The phone's own decoder (BarcodeDetector: Android Chrome, iOS 17 Safari) when it reads QR codes, else
 * qr-scanner's jsQR worker. The worker is a real file of the build (see vite.config.ts): qr-scanner's own
 * blob: worker would be refused by our Content-Security-Policy.
 */
async function qrEngine(): Promise<Engine> {
  engine ??= (async () => {
    const BD = (window as unknown as { BarcodeDetector?: { new (o: object): BarcodeDetectorLike; getSupportedFormats(): Promise<string[]> } }).BarcodeDetector
    if (BD && (await BD.getSupportedFormats().catch((): string[] => [])).includes('qr_code')) return new BD({ formats: ['qr_code'] })
    if (qrWorkerUrl) return new Worker(qrWorkerUrl)
    const QrScanner = (await import('qr-scanner')).default
    return (await QrScanner.createQrEngine()) as Worker
  })()
  return engine
}

/** Starts the back camera in `video` and calls `onHit` with the first QR read (then stops itself). */
export async function startScanner(video: HTMLVideoElement, onHit: (hit: ScanHit) => void): Promise<Scanner> {
  const [QrScanner, eng] = await Promise.all([import('qr-scanner').then((m) => m.default), qrEngine()])
  const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } } })
  let running = true
  const stop = () => {
    running = false
    for (const t of stream.getTracks()) t.stop()
    video.srcObject = null
  }
  video.muted = true
  video.playsInline = true
  video.srcObject = stream
  await video.play().catch(() => {})
  const canvas = document.createElement('canvas')
  const loop = async () => {
    while (running) {
      if (video.readyState >= 2 && video.videoWidth) {
        // The middle of the picture, downscaled: a QR held up to the camera is there, and a smaller image
        // decodes faster. The whole frame is tried too when the middle has none.
        const side = Math.round(Math.min(video.videoWidth, video.videoHeight) * 0.85)
        const scanRegion = { x: Math.round((video.videoWidth - side) / 2), y: Math.round((video.videoHeight - side) / 2), width: side, height: side, downScaledWidth: Math.min(side, 720), downScaledHeight: Math.min(side, 720) }
        const t0 = performance.now()
        try {
          const r = await QrScanner.scanImage(video, { qrEngine: eng as Worker, canvas, scanRegion, alsoTryWithoutScanRegion: true, returnDetailedScanResult: true })
          if (running && r.data) {
            const decodeMs = performance.now() - t0
            stop()
            onHit({ text: r.data, decodeMs })
            return
          }
        } catch {
          /* no QR in this frame */
        }
      }
      await new Promise((r) => setTimeout(r, 80))
    }
  }
  void loop()
  return { stop }
}
