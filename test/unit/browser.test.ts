/**
 * Issue #14: which browser is used, the pinned browser's unpack into the
 * project's .cache (and its repair after a truncation or an interruption), and
 * the message for a browser that lacks a shared library. No browser runs: the
 * pinned package is a fake of the same shape.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import tar from 'tar-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  browserIdentity,
  BuildError,
  debianPackageFor,
  findBrowser,
  formatDiagnostic,
  installHint,
  isUnpacked,
  missingLibraries,
  missingLibraryAdvice,
  UNPACK_MARKER,
  unpackPinned,
  type BrowserChoice,
  type PinnedPackage,
} from '../../build/index.ts'

let work: string
beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'browser-test-'))
})
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true })
})

async function executable(name: string, script = '#!/bin/sh\nexit 0\n'): Promise<string> {
  const file = path.join(work, name)
  await fs.writeFile(file, script, { mode: 0o755 })
  return file
}

async function failure(run: () => Promise<unknown>): Promise<string[]> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BuildError)
  return (error as BuildError).diagnostics.map(formatDiagnostic)
}

describe('discovery', () => {
  const pinned: BrowserChoice = {
    executablePath: '/cache/browser/1.0.0/chromium',
    env: { FONTCONFIG_FILE: 'x' },
    source: 'pinned',
  }
  const linux = { platform: 'linux', arch: 'x64' } as const

  it('takes PUPPETEER_EXECUTABLE_PATH first, without unpacking the pinned browser', async () => {
    const own = await executable('own-chrome')
    let asked = false
    const ask = async () => {
      asked = true
      return pinned
    }
    const choice = await findBrowser({ PUPPETEER_EXECUTABLE_PATH: own }, { ...linux, pinned: ask })
    expect(choice).toEqual({ executablePath: own, source: 'PUPPETEER_EXECUTABLE_PATH' })
    expect(asked).toBe(false)
  })

  it('uses the pinned browser on Linux x64, even when a system browser is installed', async () => {
    const system = await executable('system-chromium')
    expect(await findBrowser({}, { ...linux, candidates: [system], pinned: async () => pinned })).toEqual(pinned)
  })

  it('says to run npm ci on Linux x64 when the pinned package is missing', async () => {
    const messages = await failure(() => findBrowser({}, { ...linux, pinned: async () => undefined }))
    expect(messages).toEqual([`@sparticuz/chromium error ${installHint('linux', 'x64')} browser:not-found`])
    expect(messages[0]).toContain('run `npm ci`')
  })

  it.each([
    ['darwin', 'arm64', 'install Google Chrome, Chromium or Microsoft Edge'],
    ['win32', 'x64', 'install Google Chrome, Chromium or Microsoft Edge'],
    ['linux', 'arm64', '`sudo apt-get install -y chromium`'],
  ] as const)('falls back to an installed browser on %s %s, or says what to install', async (platform, arch, hint) => {
    const system = await executable(`chrome-${platform}-${arch}`)
    let asked = false
    const options = {
      platform,
      arch,
      pinned: async () => {
        asked = true
        return pinned
      },
    }
    const found = await findBrowser({}, { ...options, candidates: [path.join(work, 'absent'), system] })
    expect(found).toEqual({ executablePath: system, source: 'system' })
    const messages = await failure(() => findBrowser({}, { ...options, candidates: [] }))
    expect(messages).toEqual([`chromium error ${installHint(platform, arch)} browser:not-found`])
    expect(messages[0]).toContain(hint)
    expect(messages[0]).toContain('runs on Linux x64 only')
    expect(asked).toBe(false)
  })

  it('tells browsers apart for the PDF cache: the pinned version, or the executable as it is on disk', async () => {
    expect(browserIdentity({ ...pinned, version: '147.0.0' })).toBe('@sparticuz/chromium@147.0.0')
    const own = await executable('changing-chrome')
    const before = browserIdentity({ executablePath: own, source: 'system' })
    await fs.appendFile(own, '# upgraded\n')
    expect(browserIdentity({ executablePath: own, source: 'system' })).not.toBe(before)
  })

  it('says so when PUPPETEER_EXECUTABLE_PATH points nowhere', async () => {
    expect(await failure(() => findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' }, linux))).toEqual([
      'PUPPETEER_EXECUTABLE_PATH error PUPPETEER_EXECUTABLE_PATH is set to /nonexistent/chromium, ' +
        'but no executable is there. ' +
        'Unset it to use the pinned Chromium, or point it at a browser. browser:not-found',
    ])
  })
})

/** A package shaped like @sparticuz/chromium: a brotli-compressed binary and brotli-compressed tarballs. */
async function fakePackage(version: string): Promise<PinnedPackage> {
  const root = path.join(work, `package-${version}`)
  const binDir = path.join(root, 'bin')
  await fs.mkdir(binDir, { recursive: true })
  const binary = `#!/bin/sh\n# fake chromium ${version}\n${'#'.repeat(4096)}\necho ok\n`
  await fs.writeFile(path.join(binDir, 'chromium.br'), zlib.brotliCompressSync(binary))
  const tree = path.join(root, 'tree')
  await fs.mkdir(path.join(tree, 'lib'), { recursive: true })
  await fs.mkdir(path.join(tree, 'fonts/Sans'), { recursive: true })
  await fs.writeFile(path.join(tree, 'lib/libfake.so.1'), 'library')
  await fs.writeFile(path.join(tree, 'fonts/Sans/Sans.ttf'), 'font')
  await fs.writeFile(path.join(tree, 'fonts.conf'), '<fontconfig><dir>/opt/fonts</dir></fontconfig>')
  const archive = await fs.open(path.join(binDir, 'extra.tar.br'), 'w')
  await pipeline(tar.pack(tree), zlib.createBrotliCompress(), archive.createWriteStream())
  return { version, binDir, cacheRoot: path.join(work, 'cache', 'browser') }
}

describe('unpacking the pinned browser', () => {
  let pinnedPackage: PinnedPackage
  let folder: string
  beforeAll(async () => {
    pinnedPackage = await fakePackage('1.0.0')
    folder = path.join(pinnedPackage.cacheRoot, '1.0.0')
  })

  it('unpacks into .cache/browser/<version> with a marker, its libraries first and only its fonts', async () => {
    const browser = await unpackPinned(pinnedPackage)
    expect(browser.executablePath).toBe(path.join(folder, 'chromium'))
    expect((await fs.stat(browser.executablePath)).mode & 0o111).not.toBe(0)
    expect(browser.env.LD_LIBRARY_PATH?.split(':')[0]).toBe(path.join(folder, 'lib'))
    expect(browser.env.FONTCONFIG_FILE).toBe(path.join(folder, 'fonts.conf'))
    const conf = await fs.readFile(path.join(folder, 'fonts.conf'), 'utf8')
    expect(conf).toContain(`<dir>${path.join(folder, 'fonts')}</dir>`)
    expect(conf).not.toContain('/opt/fonts')
    type Marker = { files: { path: string; sha256: string }[] }
    const marker = JSON.parse(await fs.readFile(path.join(folder, UNPACK_MARKER), 'utf8')) as Marker
    const listed = ['chromium', 'fonts.conf', 'fonts/Sans/Sans.ttf', 'lib/libfake.so.1']
    expect(marker.files.map((f) => f.path)).toEqual(listed)
    expect(marker.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true)
    expect(await fs.readdir(pinnedPackage.cacheRoot)).toEqual(['1.0.0'])
  })

  it('reuses a complete folder without unpacking again', async () => {
    const before = await fs.stat(path.join(folder, 'chromium'))
    await unpackPinned(pinnedPackage)
    expect((await fs.stat(path.join(folder, 'chromium'))).ino).toBe(before.ino)
  })

  it('unpacks again after the binary was truncated', async () => {
    const binary = path.join(folder, 'chromium')
    const size = (await fs.stat(binary)).size
    await fs.truncate(binary, 100)
    expect(await isUnpacked(folder, '1.0.0')).toBe(false)
    await unpackPinned(pinnedPackage)
    expect((await fs.stat(binary)).size).toBe(size)
    expect(await isUnpacked(folder, '1.0.0')).toBe(true)
  })

  it('unpacks again after an interrupted unpack, and removes what the dead process left', async () => {
    await fs.rm(path.join(folder, UNPACK_MARKER))
    // Above Linux's largest pid_max (2^22): no process has this id.
    const dead = 2 ** 22 + 1
    const leftovers = {
      dead: `.unpack-1.0.0-${dead}-deadbeef`,
      old: `.unpack-1.0.0-${process.pid}-0ld0ld00`,
      running: `.unpack-1.0.0-${process.pid}-cafebabe`,
    }
    for (const name of Object.values(leftovers)) {
      await fs.mkdir(path.join(pinnedPackage.cacheRoot, name))
      await fs.writeFile(path.join(pinnedPackage.cacheRoot, name, 'chromium'), 'half')
    }
    const hoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    await fs.utimes(path.join(pinnedPackage.cacheRoot, leftovers.old), hoursAgo, hoursAgo)
    await unpackPinned(pinnedPackage)
    expect(await isUnpacked(folder, '1.0.0')).toBe(true)
    // A young folder of a live process may be an unpack in progress: it stays.
    expect((await fs.readdir(pinnedPackage.cacheRoot)).sort()).toEqual([leftovers.running, '1.0.0'])
    await fs.rm(path.join(pinnedPackage.cacheRoot, leftovers.running), { recursive: true })
  })

  it('unpacks a new package version beside nothing: the old version goes', async () => {
    const next = await fakePackage('2.0.0')
    const browser = await unpackPinned(next)
    expect(browser.executablePath).toBe(path.join(next.cacheRoot, '2.0.0', 'chromium'))
    expect(await fs.readFile(browser.executablePath, 'utf8')).toContain('fake chromium 2.0.0')
    expect(await fs.readdir(next.cacheRoot)).toEqual(['2.0.0'])
    // A marker of another version does not count as complete.
    expect(await isUnpacked(path.join(next.cacheRoot, '2.0.0'), '1.0.0')).toBe(false)
  })

  it('lets two unpacks at once both succeed, with one folder in the end', async () => {
    const next = await fakePackage('3.0.0')
    const [a, b] = await Promise.all([unpackPinned(next), unpackPinned(next)])
    expect(a).toEqual(b)
    expect(await isUnpacked(path.join(next.cacheRoot, '3.0.0'), '3.0.0')).toBe(true)
    expect(await fs.readdir(next.cacheRoot)).toEqual(['3.0.0'])
  })
})

describe('missing shared libraries', () => {
  const loaderSays = 'error while loading shared libraries: libnss3.so: cannot open shared object file: No such file'
  const lddSays = [
    '\tlinux-vdso.so.1 (0x00007ffd)',
    '\tlibgbm.so.1 => not found',
    '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x7f)',
    '\tlibweird.so.9 => not found',
  ].join('\n')

  it("reads the library from the loader's message and from ldd's list", () => {
    expect(missingLibraries(`/x/chromium: ${loaderSays}`)).toEqual(['libnss3.so'])
    expect(missingLibraries(lddSays)).toEqual(['libgbm.so.1', 'libweird.so.9'])
    const unreadable = '/x/chromium: error while loading shared libraries: /lib/x86_64/libnspr4.so: file too short'
    expect(missingLibraries(unreadable)).toEqual(['libnspr4.so'])
    expect(missingLibraries('Chromium crashed: out of memory')).toEqual([])
    expect(debianPackageFor('libnss3.so')).toBe('libnss3')
  })

  it('names the library, the package to install, and PUPPETEER_EXECUTABLE_PATH', () => {
    expect(missingLibraryAdvice('/x/chromium', ['libnss3.so'])).toBe(
      'The browser at /x/chromium cannot start: the shared library libnss3.so is missing. Either install it ' +
        '(on Debian or Ubuntu: `sudo apt-get install -y libnss3`), ' +
        'or set PUPPETEER_EXECUTABLE_PATH to a Chromium or Chrome that runs on this machine.',
    )
    expect(missingLibraryAdvice('/x/chromium', ['libgbm.so.1', 'libweird.so.9'])).toBe(
      'The browser at /x/chromium cannot start: the shared libraries libgbm.so.1, libweird.so.9 are missing. ' +
        'Either install them (on Debian or Ubuntu: `sudo apt-get install -y libgbm1`; ' +
        'find the package for libweird.so.9 with `apt-file search`), ' +
        'or set PUPPETEER_EXECUTABLE_PATH to a Chromium or Chrome that runs on this machine.',
    )
  })
})
