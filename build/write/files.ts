import fs from 'node:fs/promises'

/**
 * Write a file through a temporary sibling and a rename, so that a reader
 * (another build sharing the cache, the dev server serving the site) sees the
 * old bytes or the new, never a part.
 */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  await fs.writeFile(temporary, data)
  await fs.rename(temporary, file)
}
