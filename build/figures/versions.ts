/** Versions of installed packages, read without loading them. */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * A package's installed version, from its package.json (which vega does not export), without loading the package.
 */
export function installedVersion(name: string): string {
  for (let dir = path.dirname(createRequire(import.meta.url).resolve(name)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json')
    if (existsSync(manifest)) {
      const found = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string }
      if (found.name === name && found.version) return found.version
    }
    if (path.dirname(dir) === dir) throw new Error(`No package.json found for ${name}`)
  }
}
