/**
 * The staging folder and the `dist/` swap: output is written to a staging
 * folder and swapped into `dist/` only when every stage has succeeded, so a
 * failed or interrupted build leaves the last good `dist/` untouched.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { buildError, type BuildError } from '../diagnostics.ts'
import { isAlive } from './files.ts'

/**
 * A fresh staging folder's path under `cacheDir`, named after this process so that a later build can tell it is stale.
 */
export function stagingFolder(cacheDir: string): string {
  return path.join(cacheDir, `staging-${process.pid}-${Date.now().toString(36)}`)
}

/** Remove staging folders left by builds whose process died (killed, or a crash) before cleaning up. */
export async function removeStaleStaging(cacheDir: string): Promise<void> {
  const names = await fs.readdir(cacheDir).catch(() => [] as string[])
  for (const name of names) {
    const pid = Number(/^staging-(\d+)-/.exec(name)?.[1])
    if (!pid || pid === process.pid || isAlive(pid)) continue
    await fs.rm(path.join(cacheDir, name), { recursive: true, force: true }).catch(() => undefined)
  }
}

/**
 * Replace `outDir` with the staging folder. The staging folder is first moved
 * (or, across file systems, copied) beside `outDir`, so that the swap itself
 * is two renames in one folder; any failure restores the old `outDir`.
 * `root` is only for the folder names in messages.
 */
export async function swapIn(staging: string, outDir: string, root: string): Promise<void> {
  const shown = path.relative(root, outDir) || outDir
  const fail = (message: string): BuildError => buildError(shown, message, 'write:dist')
  const existing = await fs.lstat(outDir).catch(() => undefined)
  if (existing && !existing.isDirectory()) {
    throw fail(
      `Cannot write the output folder: ${shown} exists and is not a folder. Move that file away, or choose another ` +
        `output folder with --out`,
    )
  }
  const parent = path.dirname(outDir)
  for (let folder = parent; folder !== path.dirname(folder); folder = path.dirname(folder)) {
    const stat = await fs.stat(folder).catch(() => undefined)
    if (stat && !stat.isDirectory()) {
      throw fail(
        `Cannot write the output folder: ${path.relative(root, folder) || folder} is a file, not a folder. Move it ` +
          `away, or choose another output folder with --out`,
      )
    }
    if (stat) break
  }
  const next = path.join(parent, `.${path.basename(outDir)}-next-${process.pid}`)
  const old = path.join(parent, `.${path.basename(outDir)}-old-${process.pid}`)
  let hadOld: boolean
  try {
    await fs.mkdir(parent, { recursive: true })
    await moveOrCopy(staging, next)
    hadOld = await renameIfThere(outDir, old)
    try {
      await fs.rename(next, outDir)
    } catch (error) {
      if (hadOld) await fs.rename(old, outDir)
      throw error
    }
  } catch (error) {
    await fs.rm(next, { recursive: true, force: true }).catch(() => undefined)
    throw fail(
      `Cannot write the output folder: ${(error as Error).message}. Check that its parent folder is a writable ` +
        `folder, or choose another with --out`,
    )
  }
  if (hadOld) await fs.rm(old, { recursive: true, force: true })
}

async function moveOrCopy(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
    await fs.cp(from, to, { recursive: true })
  }
}

/** Rename `from` to `to`; false when `from` does not exist. */
async function renameIfThere(from: string, to: string): Promise<boolean> {
  try {
    await fs.rename(from, to)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    return false
  }
}
