/**
 * The whole-build short cut of `npm run build`: when nothing a build reads has
 * changed since the last good build, and `dist/` still holds exactly what that
 * build wrote, say so and stop, without loading (or compiling) the engine.
 *
 * After a good build, a stamp (`.cache/build-stamp.json`) records a SHA-256
 * over everything the build could have read — every file under the book's
 * folder (but for dist/, .cache/, node_modules/ and .git/), the engine (its
 * `build/` folder, package files, these scripts), the installed packages
 * (`node_modules/.package-lock.json`, which npm rewrites on every install),
 * the folders and files the build reports reading outside the book's folder
 * (templates, styles, static, fonts), the command line, the Node version and
 * the environment variables the build reads — and every file of `dist/` with
 * its size, stat identity and SHA-256.
 *
 * The stamp is only written when no input changed while the build ran: an
 * input whose ctime (which no tool can set back) is not older than the build's
 * start leaves no stamp, so the next build is a full one. Plain JavaScript, so
 * that it runs before anything is compiled.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** Bump when what the stamp covers, or how, changes. */
const RECIPE = '1'

/** The environment variables the build reads, whose change must rebuild. */
const ENVIRONMENT = [
  'SOURCE_DATE_EPOCH',
  'PUPPETEER_EXECUTABLE_PATH',
  'WHITEPAPER_PRINT_TIMEOUT',
  'TZ',
  'LD_LIBRARY_PATH',
]

/** An input changed less than this long before the build started may have been read half-written: no stamp. */
const SETTLE_MS = 1000

/** Files larger than this (a browser named by PUPPETEER_EXECUTABLE_PATH, say) count by their stat identity. */
const HASHED_BYTES = 4 * 1024 * 1024

/** Folder names never walked: version control and installed packages. */
const SKIPPED = new Set(['.git', 'node_modules'])

/**
 * Every file under `dir` (recursively, not following links; a link counts by its target's path), absolute paths,
 * sorted, leaving out the folders in `excluded`. A single file stands for itself.
 */
function filesUnder(dir, excluded) {
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false })
  if (!stat) return []
  if (!stat.isDirectory()) return [dir]
  const files = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name) && !excluded.has(full)) files.push(...filesUnder(full, excluded))
    } else files.push(full)
  }
  return files.sort()
}

/** The stat fields that change whenever a file's bytes do (the ctime and inode cannot be set back by a tool). */
function identity(stat) {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`
}

/**
 * SHA-256 of the build's inputs (see the file comment), and the newest ctime among them. `places.inputs` are the
 * folders and files the last build reported reading, some of them outside the book's folder.
 */
function fingerprint(places, argv, env) {
  const { root, engineRoot, outDir, cacheDir, inputs = [] } = places
  const excluded = new Set([outDir, cacheDir, path.join(engineRoot, '.cache')])
  const hash = createHash('sha256').update(`${RECIPE}\0${process.version}\0${process.platform}\0${process.arch}\0`)
  hash.update(`${JSON.stringify(argv)}\0`)
  for (const name of ENVIRONMENT) hash.update(`${name}=${env[name] ?? ''}\0`)
  const engine = [
    'build',
    'tools/engine.mjs',
    'tools/build-stamp.mjs',
    'package.json',
    'node_modules/.package-lock.json',
  ]
  const roots = [root, ...engine.map((file) => path.join(engineRoot, file)), ...inputs]
  if (env.PUPPETEER_EXECUTABLE_PATH) roots.push(path.resolve(env.PUPPETEER_EXECUTABLE_PATH))
  const files = [...new Set(roots.flatMap((place) => filesUnder(path.resolve(root, place), excluded)))].sort()
  let newest = 0
  for (const file of files) {
    const stat = fs.statSync(file, { throwIfNoEntry: false })
    hash.update(`${file}\0`)
    if (stat?.isFile()) {
      newest = Math.max(newest, stat.ctimeMs)
      hash.update(stat.size > HASHED_BYTES ? identity(stat) : fs.readFileSync(file))
    } else hash.update(stat ? 'not a file' : 'missing')
    hash.update('\0')
  }
  return { digest: hash.digest('hex'), newest }
}

/** Every file of `outDir`: its size, stat identity and SHA-256, by path relative to `outDir`. */
function manifest(outDir) {
  const files = {}
  for (const file of filesUnder(outDir, new Set())) {
    const stat = fs.statSync(file)
    const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex')
    files[path.relative(outDir, file)] = { identity: identity(stat), sha256 }
  }
  return files
}

/** Whether `outDir` holds exactly the files of `recorded`, with the same bytes. */
function unchanged(outDir, recorded) {
  const files = filesUnder(outDir, new Set())
  if (files.length !== Object.keys(recorded).length) return false
  return files.every((file) => {
    const entry = recorded[path.relative(outDir, file)]
    if (!entry) return false
    const stat = fs.statSync(file)
    if (identity(stat) === entry.identity) return true
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex') === entry.sha256
  })
}

/** Where the stamp of builds of `places` lives. */
function stampFile(places) {
  return path.join(places.cacheDir, 'build-stamp.json')
}

/**
 * The report of the last build when nothing changed since and `dist/` is as it left it, else undefined. Never throws:
 * anything unexpected means a full build.
 */
export function upToDate(places, argv, env = process.env) {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile(places), 'utf8'))
    if (stamp.recipe !== RECIPE) return undefined
    const { digest } = fingerprint({ ...places, inputs: stamp.inputs }, argv, env)
    if (digest !== stamp.inputsHash || !unchanged(places.outDir, stamp.dist)) return undefined
    return stamp.report
  } catch {
    return undefined
  }
}

/**
 * After a good build that started at `startedAt` (ms since the epoch): stamp it, unless an input changed since it
 * started (or just before). `built.inputs` are the folders and files the build read outside the book's folder;
 * `built.summary` and `built.warnings` what the short cut prints instead of building.
 */
export function recordBuild(places, argv, built, startedAt, env = process.env) {
  const file = stampFile(places)
  fs.rmSync(file, { force: true })
  const { digest, newest } = fingerprint({ ...places, inputs: built.inputs }, argv, env)
  if (newest >= startedAt - SETTLE_MS) return false
  const stamp = {
    recipe: RECIPE,
    inputsHash: digest,
    inputs: built.inputs,
    dist: manifest(places.outDir),
    report: { summary: built.summary, warnings: built.warnings },
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(stamp))
  fs.renameSync(`${file}.tmp`, file)
  return true
}
