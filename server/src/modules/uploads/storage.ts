import { createReadStream } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'

/** Where photo bytes live. Local disk by default; an S3-compatible store implements the same three calls. */
export interface Storage {
  put(key: string, data: Buffer, contentType: string): Promise<void>
  get(key: string): Readable
  delete(key: string): Promise<void>
}

export class LocalStorage implements Storage {
  constructor(private readonly root: string) {}
  private file(key: string) {
    const p = path.resolve(this.root, key)
    if (!p.startsWith(path.resolve(this.root) + path.sep)) throw new Error('storage key escapes the root')
    return p
  }
  async put(key: string, data: Buffer) {
    const p = this.file(key)
    await mkdir(path.dirname(p), { recursive: true })
    await writeFile(p, data)
  }
  get(key: string) {
    return createReadStream(this.file(key))
  }
  async delete(key: string) {
    await rm(this.file(key), { force: true })
  }
}
