/**
 * Validation of specs against vega-lite's own JSON schema.
 *
 * The schema is a large `anyOf` of spec kinds, so one mistake produces dozens
 * of ajv errors, one per branch tried. Keep only the deepest ones (an error is
 * dropped when another error points inside the same value), merge the
 * duplicates and list the allowed values of enums.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Ajv, ErrorObject, Options as AjvOptions, ValidateFunction } from 'ajv'
import { temporaryName, writeAtomicSync } from '../write/files.ts'
import { installedVersion } from './versions.ts'

export interface SchemaProblem {
  /** JSON pointer of the offending value, `''` for the root. */
  pointer: string
  message: string
}

let validator: ValidateFunction | undefined

type StandaloneCode = (ajv: Ajv, validate: ValidateFunction) => string

/**
 * How ajv compiles the schema. `verbose` gives each error its schema (the
 * messages group unknown properties by branch). Without inlined references
 * and without ajv's code optimisation pass, compiling takes about half the
 * time, and validating a dozen specs is as quick.
 */
const AJV_OPTIONS: AjvOptions = {
  allErrors: true,
  strict: false,
  validateFormats: false,
  logger: false,
  verbose: true,
  inlineRefs: false,
  code: { source: true, optimize: false },
}

/** The cached validator's file in `cacheDir`, named by the vega-lite and ajv versions and the options. */
function validatorFile(cacheDir: string): string {
  const key = createHash('sha256')
    .update(`vega-lite@${installedVersion('vega-lite')} ajv@${installedVersion('ajv')} `)
    .update(JSON.stringify(AJV_OPTIONS))
    .digest('hex')
    .slice(0, 16)
  return path.join(cacheDir, `vega-lite-schema-${key}.cjs`)
}

/**
 * The compiled schema validator. Compiling vega-lite's 1.5 MB schema takes
 * seconds, so when `cacheDir` is given the generated validator code is kept
 * there and later processes load it instead.
 */
export function getValidator(cacheDir?: string): ValidateFunction {
  if (validator) return validator
  const require = createRequire(import.meta.url)
  const cached = cacheDir ? validatorFile(cacheDir) : undefined
  if (cached && existsSync(cached)) {
    try {
      validator = require(cached) as ValidateFunction
      return validator
    } catch {
      // unreadable: compile below
    }
  }
  // Required here, not imported: only a process that compiles the schema (none, once it is cached) needs ajv.
  const { Ajv } = require('ajv') as typeof import('ajv')
  const standaloneModule = require('ajv/dist/standalone/index.js') as { default?: StandaloneCode }
  const standaloneCode = (standaloneModule.default ?? standaloneModule) as StandaloneCode
  const ajv = new Ajv(AJV_OPTIONS)
  const schemaText = readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8')
  validator = ajv.compile(JSON.parse(schemaText) as object)
  if (cached) {
    try {
      // The generated module requires ajv's runtime helpers; point them at this ajv.
      const code = standaloneCode(ajv, validator).replace(
        /require\("(ajv\/dist\/runtime\/[^"]+)"\)/g,
        (_, id: string) => `require(${JSON.stringify(require.resolve(id))})`,
      )
      mkdirSync(cacheDir!, { recursive: true })
      writeAtomicSync(cached, code)
    } catch {
      // caching is an optimisation only
    }
  }
  return validator
}

/**
 * Make sure the compiled validator is in `cacheDir`, compiling it in a
 * worker thread when it is not. Compiling the schema costs about 120 MB of
 * memory; in a worker, that memory goes back when the worker ends, instead
 * of staying with the build for the rest of its life. Calls while a compile
 * runs wait for that one.
 */
export async function prepareValidator(cacheDir: string | undefined): Promise<void> {
  if (validator || !cacheDir) return
  const cached = validatorFile(cacheDir)
  if (existsSync(cached)) return
  const running = compiling.get(cached)
  if (running) return running
  const require = createRequire(import.meta.url)
  mkdirSync(cacheDir, { recursive: true })
  const workerData = {
    schemaFile: require.resolve('vega-lite/vega-lite-schema.json'),
    cached,
    temporary: temporaryName(cached),
    ajv: require.resolve('ajv'),
    standalone: require.resolve('ajv/dist/standalone/index.js'),
  }
  const done = new Promise<void>((resolve) => {
    const worker = new Worker(COMPILE_IN_WORKER, { eval: true, workerData })
    // Any failure leaves the cache empty, and getValidator compiles in-process.
    worker.once('exit', () => resolve())
    worker.once('error', () => undefined)
  })
  compiling.set(cached, done)
  await done
  compiling.delete(cached)
}

const compiling = new Map<string, Promise<void>>()

const COMPILE_IN_WORKER = `
const { workerData } = require('node:worker_threads')
const fs = require('node:fs')
const path = require('node:path')
const { Ajv } = require(workerData.ajv)
const standalone = require(workerData.standalone)
const ajv = new Ajv(${JSON.stringify(AJV_OPTIONS)})
const validate = ajv.compile(JSON.parse(fs.readFileSync(workerData.schemaFile, 'utf8')))
const ajvDir = path.dirname(workerData.ajv)
const code = (standalone.default || standalone)(ajv, validate).replace(/require\\("(ajv\\/dist\\/runtime\\/[^"]+)"\\)/g, (_, id) => 'require(' + JSON.stringify(require.resolve(id, { paths: [ajvDir] })) + ')')
// The same write-then-rename as writeAtomic (this code runs as a string, so it cannot import it).
fs.writeFileSync(workerData.temporary, code)
fs.renameSync(workerData.temporary, workerData.cached)
`

/** Validate a parsed spec; returns the problems, most specific first, or an empty list. */
export function validateSpec(spec: unknown, cacheDir?: string): SchemaProblem[] {
  const validate = getValidator(cacheDir)
  if (validate(spec)) return []
  const errors = validate.errors ?? []
  const leaves = errors.filter(
    (error) => !errors.some((other) => other.instancePath.startsWith(error.instancePath + '/')),
  )
  const byPointer = new Map<string, ErrorObject[]>()
  for (const error of leaves) {
    const list = byPointer.get(error.instancePath) ?? []
    list.push(error)
    byPointer.set(error.instancePath, list)
  }
  const problems: SchemaProblem[] = []
  for (const [pointer, list] of byPointer) {
    const specific = list.filter((error) => !['anyOf', 'oneOf', 'if', 'not'].includes(error.keyword))
    const chosen = specific.length > 0 ? specific : list
    const messages = new Set<string>()
    const allowed = new Set<string>()
    const extraBySchema = new Map<unknown, Set<string>>()
    const required = new Set<string>()
    const types = new Set<string>()
    for (const error of chosen) {
      if (error.keyword === 'enum' || error.keyword === 'const') {
        const values =
          error.keyword === 'enum'
            ? (error.params as { allowedValues: unknown[] }).allowedValues
            : [(error.params as { allowedValue: unknown }).allowedValue]
        for (const value of values) allowed.add(JSON.stringify(value))
      } else if (error.keyword === 'additionalProperties') {
        // verbose mode gives each error its branch's schema object
        const names = extraBySchema.get(error.parentSchema) ?? new Set<string>()
        names.add((error.params as { additionalProperty: string }).additionalProperty)
        extraBySchema.set(error.parentSchema, names)
      } else if (error.keyword === 'required') {
        required.add((error.params as { missingProperty: string }).missingProperty)
      } else if (error.keyword === 'type') {
        types.add(String((error.params as { type: string }).type))
      } else {
        messages.add(error.message ?? error.keyword)
      }
    }
    // A property is unknown only if no branch of the schema knows it.
    const extraSets = [...extraBySchema.values()]
    const extra = new Set(
      extraSets.length > 0 ? [...extraSets[0]!].filter((name) => extraSets.every((set) => set.has(name))) : [],
    )
    const shown = [...allowed].slice(0, 12).join(', ') + (allowed.size > 12 ? `, … (${allowed.size - 12} more)` : '')
    if (types.size > 0 && allowed.size > 0)
      messages.add(`must be of type ${[...types].join(' or ')}, or one of ${shown}`)
    else if (allowed.size > 0) messages.add(`must be one of ${shown}`)
    if (required.size > 0 && extra.size === 0)
      messages.add(
        `must have ${required.size > 1 ? 'one of the properties' : 'the property'} ` +
          `${[...required].map((name) => `"${name}"`).join(', ')}`,
      )
    if (extra.size > 0)
      messages.add(
        `has unknown propert${extra.size > 1 ? 'ies' : 'y'} ${[...extra].map((name) => `"${name}"`).join(', ')}`,
      )
    if (types.size > 0 && allowed.size === 0) messages.add(`must be of type ${[...types].join(' or ')}`)
    for (const message of messages) problems.push({ pointer, message })
  }
  return problems.sort(
    (a, b) => b.pointer.split('/').length - a.pointer.split('/').length || a.pointer.localeCompare(b.pointer),
  )
}
