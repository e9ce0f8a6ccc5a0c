/** File helpers the stages share: atomic writes, cache reads and pruning. */
import { renameSync, writeFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Write a file through a temporary sibling and a rename, so that a reader
 * (another build sharing the cache, the dev server serving the site) sees the
 * old bytes or the new, never a part.
 */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryName(file)
  await fs.writeFile(temporary, data)
  await fs.rename(temporary, file)
}

/** `writeAtomic` for code that cannot wait (the schema validator is compiled on first use, synchronously). */
export function writeAtomicSync(file: string, data: string | Uint8Array): void {
  const temporary = temporaryName(file)
  writeFileSync(temporary, data)
  renameSync(temporary, file)
}

/** A sibling name no other writer uses: this process, and a random part for concurrent writes within it. */
export function temporaryName(file: string): string {
  return `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
}

/** A JSON file's value, or undefined when it is missing or not JSON. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

/** Keep only the `keep` most recently written files of a cache folder. */
export async function pruneOldest(dir: string, keep: number): Promise<void> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((name) => !name.endsWith('.tmp'))
  const files = await Promise.all(
    names.map(async (name) => ({
      name,
      mtime: (await fs.stat(path.join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0,
    })),
  )
  files.sort((a, b) => b.mtime - a.mtime)
  for (const file of files.slice(keep)) await fs.rm(path.join(dir, file.name), { force: true })
}

/** Whether a process is running (one we may not signal counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
