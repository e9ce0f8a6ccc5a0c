/**
 * Writing the site's files: all of them into a staging folder, or in dev mode only the changed ones into the live
 * folder.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeAtomic } from './files.ts'

/**
 * Remembers what it wrote, so that in `onlyChanged` mode it can skip unchanged files and remove dropped ones. Keep one
 * per output folder.
 */
export class SiteWriter {
  /** Digest of every site file as last written, by path relative to the site folder. */
  private readonly digests = new Map<string, string>()

  /**
   * Write the site's files into `siteDir`; returns the paths written. With
   * `onlyChanged`, a file whose bytes equal what is there already is not
   * touched, each write is a rename (a server reading the folder never sees
   * half a file), and files written by an earlier call that are no longer
   * produced are removed.
   */
  async write(siteDir: string, files: Map<string, string | Buffer>, onlyChanged: boolean): Promise<string[]> {
    const written: string[] = []
    const folders = new Set<string>()
    // The folder was removed behind our back (rm -rf dist): what we remember writing is gone.
    if (onlyChanged && !(await fs.stat(siteDir).catch(() => undefined))) this.digests.clear()
    for (const [name, content] of files) {
      const file = path.join(siteDir, name)
      const bytes = typeof content === 'string' ? Buffer.from(content) : content
      const folder = path.dirname(file)
      if (!folders.has(folder)) {
        await fs.mkdir(folder, { recursive: true })
        folders.add(folder)
      }
      if (!onlyChanged) {
        await fs.writeFile(file, bytes)
        written.push(name)
        continue
      }
      if (await this.writeIfChanged(name, file, bytes)) written.push(name)
    }
    if (onlyChanged) written.push(...(await this.removeDropped(siteDir, files)))
    return written
  }

  private async writeIfChanged(name: string, file: string, bytes: Buffer): Promise<boolean> {
    const digest = createHash('sha1').update(bytes).digest('hex')
    const known =
      this.digests.get(name) ??
      (await fs.readFile(file).then(
        (b) => createHash('sha1').update(b).digest('hex'),
        () => undefined,
      ))
    const changed = known !== digest
    if (changed) await writeAtomic(file, bytes)
    this.digests.set(name, digest)
    return changed
  }

  private async removeDropped(siteDir: string, files: Map<string, string | Buffer>): Promise<string[]> {
    const removed: string[] = []
    for (const name of [...this.digests.keys()]) {
      if (files.has(name)) continue
      await fs.rm(path.join(siteDir, name), { force: true })
      this.digests.delete(name)
      removed.push(name)
    }
    return removed
  }
}
