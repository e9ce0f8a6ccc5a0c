/**
 * The Chromium pinned by the lockfile. The npm package `@sparticuz/chromium`
 * ships a brotli-compressed Linux x64 build (a headless shell), the few shared
 * libraries it needs beyond glibc, a font and a software GL. This module
 * unpacks them into the project's `.cache/browser/<version>/`, once per package
 * version, and never runs the package's own code, which unpacks into a shared
 * `/tmp`.
 *
 * An unpack happens in a private temporary folder that is renamed into place
 * only when complete, with a marker listing every file's size and hash: a
 * folder without a valid marker, or whose files' sizes no longer match it
 * (a truncated binary), is unpacked again.
 */
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import { isAlive } from '../write/files.ts'

/** The npm package that brings the pinned browser. */
export const PINNED_PACKAGE = '@sparticuz/chromium'

/** The marker written last into an unpacked folder. */
export const UNPACK_MARKER = 'unpacked.json'

/** The read and decompress chunk size of an unpack. */
const UNPACK_CHUNK = 1 << 20

/** Temporary folders older than this are removed even if their process still runs. */
const LEFTOVER_AGE_MS = 60 * 60 * 1000

export interface PinnedPackage {
  version: string
  /** The folder holding `chromium.br` and the `*.tar.br` archives. */
  binDir: string
  /** `.cache/browser` of the project whose node_modules holds the package. */
  cacheRoot: string
}

export interface PinnedBrowser {
  executablePath: string
  /** What the browser process needs in its environment: the bundled libraries and fonts. */
  env: Record<string, string>
  version: string
}

interface Marker {
  package: string
  version: string
  files: { path: string; size: number; sha256: string }[]
}

/** Whether the pinned package has a build for this machine: it ships Linux x64 only. */
export function pinnedRunsOn(platform: NodeJS.Platform = process.platform, arch: string = process.arch): boolean {
  return platform === 'linux' && arch === 'x64'
}

/**
 * The installed pinned package, resolved from the engine's own location, or
 * undefined when it is not installed. Its code is not loaded.
 */
export function locatePinnedPackage(from: string = import.meta.url): PinnedPackage | undefined {
  let entry: string
  try {
    entry = createRequire(from).resolve(PINNED_PACKAGE)
  } catch {
    return undefined
  }
  const nodeModules = `${path.sep}node_modules${path.sep}`
  const at = entry.lastIndexOf(nodeModules)
  if (at < 0) return undefined
  const packageDir = path.join(entry.slice(0, at + nodeModules.length), ...PINNED_PACKAGE.split('/'))
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }
  const projectRoot = entry.slice(0, at)
  return { version, binDir: path.join(packageDir, 'bin'), cacheRoot: path.join(projectRoot, '.cache', 'browser') }
}

/** The unpacked browser, unpacking it first when its folder is missing, incomplete or corrupt. */
export async function unpackPinned(pinned: PinnedPackage, signal?: AbortSignal): Promise<PinnedBrowser> {
  const target = path.join(pinned.cacheRoot, pinned.version)
  await fsp.mkdir(pinned.cacheRoot, { recursive: true })
  // Swept on every use: an interrupted unpack leaves 200 MB behind even when another process finished the job.
  await removeLeftovers(pinned.cacheRoot, pinned.version)
  if (!(await isUnpacked(target, pinned.version))) {
    const temporary = path.join(pinned.cacheRoot, `.unpack-${pinned.version}-${uniqueSuffix()}`)
    try {
      await unpackInto(pinned, temporary, target, signal)
      await moveIntoPlace(temporary, target, pinned.version)
    } finally {
      await fsp.rm(temporary, { recursive: true, force: true })
    }
  }
  return browserIn(target, pinned.version)
}

/** Paths and environment of a complete unpacked folder. */
function browserIn(folder: string, version: string): PinnedBrowser {
  const env: Record<string, string> = {}
  const lib = path.join(folder, 'lib')
  // The bundled NSS and expat come first, so that a machine without them (a fresh Debian) still runs the browser.
  if (fs.existsSync(lib)) env.LD_LIBRARY_PATH = [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':')
  // Only the bundled font is visible: a glyph missing from the book's fonts falls back alike on every machine.
  const fontsConf = path.join(folder, 'fonts.conf')
  if (fs.existsSync(fontsConf)) env.FONTCONFIG_FILE = fontsConf
  return { executablePath: path.join(folder, 'chromium'), env, version }
}

/**
 * Whether `folder` holds a finished unpack of `version`: its marker names the
 * version, and every listed file is there with its recorded size. Hashes are
 * checked only when unpacking: hashing 200 MB before every launch would cost
 * half a second, and a truncated or missing file is what interruptions leave.
 */
export async function isUnpacked(folder: string, version: string): Promise<boolean> {
  let marker: Marker
  try {
    marker = JSON.parse(await fsp.readFile(path.join(folder, UNPACK_MARKER), 'utf8')) as Marker
  } catch {
    return false
  }
  if (marker.package !== PINNED_PACKAGE || marker.version !== version || !Array.isArray(marker.files)) return false
  if (!marker.files.some((file) => file.path === 'chromium')) return false
  for (const file of marker.files) {
    const stat = await fsp.stat(path.join(folder, file.path)).catch(() => undefined)
    if (!stat?.isFile() || stat.size !== file.size) return false
  }
  return true
}

/** Decompress the binary and extract every archive into `temporary`, then write the marker. */
async function unpackInto(
  pinned: PinnedPackage,
  temporary: string,
  target: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  await fsp.mkdir(temporary)
  const archives = (await fsp.readdir(pinned.binDir)).filter((name) => name.endsWith('.tar.br')).sort()
  const binary = path.join(temporary, 'chromium')
  // 1 MB chunks decompress the 190 MB binary in about half the time of the 64 KB default; it is hashed on its way
  // to the disk rather than read again for the marker.
  const binaryHash = createHash('sha256')
  await pipeline(
    fs.createReadStream(path.join(pinned.binDir, 'chromium.br'), { highWaterMark: UNPACK_CHUNK }),
    zlib.createBrotliDecompress({ chunkSize: UNPACK_CHUNK }),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        binaryHash.update(chunk)
        yield chunk
      }
    },
    fs.createWriteStream(binary, { mode: 0o755, highWaterMark: UNPACK_CHUNK }),
    { signal },
  )
  const hashes = new Map([['chromium', binaryHash.digest('hex')]])
  const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }
  // Loaded only to unpack, which happens once per version.
  const { default: tar } = await import('tar-fs')
  for (const archive of archives) {
    await pipeline(
      fs.createReadStream(path.join(pinned.binDir, archive)),
      zlib.createBrotliDecompress(),
      // Files stay owned by whoever unpacks them, whatever ids the archive recorded.
      tar.extract(temporary, { map: (header) => ({ ...header, ...owner }) }),
      { signal },
    )
  }
  if (fs.existsSync(path.join(temporary, 'fonts'))) {
    await fsp.writeFile(path.join(temporary, 'fonts.conf'), fontsConf(target))
  }
  const files: Marker['files'] = []
  for (const relative of (await fsp.readdir(temporary, { recursive: true })).sort()) {
    const file = path.join(temporary, relative)
    const stat = await fsp.lstat(file)
    if (!stat.isFile()) continue
    const name = relative.split(path.sep).join('/')
    files.push({ path: name, size: stat.size, sha256: hashes.get(name) ?? (await sha256(file)) })
  }
  const marker: Marker = { package: PINNED_PACKAGE, version: pinned.version, files }
  await fsp.writeFile(path.join(temporary, UNPACK_MARKER), `${JSON.stringify(marker, null, 2)}\n`)
}

/**
 * Rename the finished folder into place. Another process may have finished
 * first (then its folder is used), or a stale, corrupt folder may be in the
 * way (then it is moved aside and removed).
 */
async function moveIntoPlace(temporary: string, target: string, version: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fsp.rename(temporary, target)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error
    }
    if (await isUnpacked(target, version)) return
    const stale = path.join(path.dirname(target), `.stale-${version}-${uniqueSuffix()}`)
    await fsp.rename(target, stale).catch(() => undefined)
    await fsp.rm(stale, { recursive: true, force: true })
  }
  throw new Error(`could not move the unpacked browser into ${target}`)
}

/**
 * Remove other versions' folders, and the temporary folders of unpacks whose
 * process has died (an interrupted build) or that are over an hour old.
 */
async function removeLeftovers(cacheRoot: string, version: string): Promise<void> {
  for (const name of await fsp.readdir(cacheRoot)) {
    const entry = path.join(cacheRoot, name)
    const temporary = /^\.(?:unpack|stale)-.+-(\d+)-[0-9a-f]+$/.exec(name)
    if (temporary) {
      const stat = await fsp.stat(entry).catch(() => undefined)
      const young = stat !== undefined && Date.now() - stat.mtimeMs < LEFTOVER_AGE_MS
      if (young && isAlive(Number(temporary[1]))) continue
    } else if (name === version) continue
    await fsp.rm(entry, { recursive: true, force: true })
  }
}

/** A fontconfig file that lists only the fonts unpacked beside the browser. */
function fontsConf(folder: string): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${escape(path.join(folder, 'fonts'))}</dir>`,
    `  <cachedir>${escape(path.join(folder, 'fontconfig-cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n')
}

function uniqueSuffix(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(fs.createReadStream(file), hash)
  return hash.digest('hex')
}
