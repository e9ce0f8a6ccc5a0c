/**
 * Copyfitting: when a section runs a few lines onto a page of their own, or a line of it is set so loose that its
 * text reads back spaced out, tighten that section a little and print again, once. The engine only says how much
 * (`--fit`, a leading factor a little under 1, and `--track`, a letter-spacing in em a little under 0, on the
 * section's elements); the print stylesheet decides what they apply to.
 */
import type { BookModel } from '../collect/model.ts'
import type { Finding } from './layout/checks.ts'
import type { PdfReadback } from './readback.ts'

/** How far a section may be tightened: its leading and figures scale by no less than this. */
export const MIN_FIT = 0.9

/** Tracking that re-breaks a section's lines: every line gains about a character (at 46 em to the line). */
export const TRACKING = -0.025

export interface Fit {
  /** Leading factor, 1 = as set. */
  leading: number
  /** Letter-spacing in em, 0 = as set. */
  tracking: number
}

/** Section id → how it is tightened. */
export type CopyfitPlan = Map<string, Fit>

/** A loose justified line reads back with a space between every character: `和 趋 势 进 行`. */
const SPACED_OUT = /\p{Script=Han} \p{Script=Han} \p{Script=Han}/u

/**
 * A plan for every sparse page that is the last page of a section begun on an earlier page (the section's running
 * text must shrink by the lines on that page, plus one for safety, within `MIN_FIT`), and for every section with a
 * line so loose that it reads back spaced out (tracking `TRACKING`, which re-breaks its lines).
 */
export function copyfitPlan(findings: Finding[], readback: PdfReadback, model: BookModel): CopyfitPlan {
  const plan: CopyfitPlan = new Map()
  // Every chapter in book order, front matter too: a loose line or a spill there is tightened the same way.
  const starts = model.chapters.flatMap((part) => [
    // Front matter's sections are not in the 目录, so the PDF may not know their pages: its chapter stands for them.
    { id: part.id, section: false, front: part.kind === 'front' },
    ...part.sections.map((s) => ({ id: s.id, section: true, front: false })),
  ])
  const pages = starts.map((start) => ({ ...start, page: readback.destinations.get(start.id) ?? -1 }))
  const sectionAt = (page: number, before: boolean) => {
    let at = -1
    pages.forEach((start, i) => {
      if (start.page >= 0 && (before ? start.page < page : start.page <= page)) at = i
    })
    return { section: pages[at], next: pages[at + 1] }
  }
  for (const finding of findings) {
    if (finding.kind === 'unsearchable' && SPACED_OUT.test(finding.reads ?? '')) {
      const { section } = sectionAt(finding.page, false)
      if (section?.section || section?.front)
        plan.set(section.id, { leading: plan.get(section.id)?.leading ?? 1, tracking: TRACKING })
      continue
    }
    if (finding.kind !== 'sparse-page' || finding.lines === undefined) continue
    const { section, next } = sectionAt(finding.page, true)
    if (!section?.section || (next && next.page <= finding.page)) continue
    // Only running text tightens (figures keep their size): the spilled lines must come out of its lines.
    let textLines = 0
    for (let page = section.page; page < finding.page; page++) textLines += runningTextLines(readback.pages[page]!)
    const needed = (finding.lines + 1) / Math.max(1, textLines)
    // Beyond the limit, try the limit: the fitted print is kept only if it is better.
    const leading = Math.max(MIN_FIT, Math.floor((1 - needed) * 100) / 100)
    plan.set(section.id, { leading, tracking: plan.get(section.id)?.tracking ?? 0 })
  }
  return plan
}

/**
 * The plan `start` (what a print was made with) tightened by `found` (what its layout check asks for): a section new
 * to the plan gets its fit; a section already tightened gets its leading scaled again (its lines were counted at the
 * tightened leading), within `MIN_FIT`, and the tighter tracking.
 */
export function refinePlan(start: CopyfitPlan, found: CopyfitPlan): CopyfitPlan {
  const plan: CopyfitPlan = new Map(start)
  for (const [section, fit] of found) {
    const had = start.get(section)
    if (!had) plan.set(section, fit)
    else
      plan.set(section, {
        leading: Math.max(MIN_FIT, Math.floor(had.leading * fit.leading * 100) / 100),
        tracking: Math.min(had.tracking, fit.tracking),
      })
  }
  return plan
}

/** Whether two plans tighten the same sections by the same amounts. */
export function samePlan(a: CopyfitPlan, b: CopyfitPlan): boolean {
  if (a.size !== b.size) return false
  for (const [section, fit] of a) {
    const other = b.get(section)
    if (!other || other.leading !== fit.leading || other.tracking !== fit.tracking) return false
  }
  return true
}

/** Lines of running text on a page: distinct baselines of text at 10 pt or more (captions, tables and figure
 * labels are smaller). */
function runningTextLines(page: PdfReadback['pages'][number]): number {
  const baselines = new Set(
    page.items.filter((item) => item.size >= 10 && item.text.trim() !== '').map((item) => Math.round(item.y)),
  )
  return baselines.size
}

/**
 * The CSS that applies a plan: every element of a planned section (its heading and the siblings up to the next
 * section's heading) gets `--fit` and `--track`.
 */
export function copyfitCss(plan: CopyfitPlan, model: BookModel): string {
  const rules: string[] = []
  const id = (value: string) => `[id=${JSON.stringify(value)}]`
  for (const part of model.chapters) {
    // A chapter-wide fit (front matter): the custom properties inherit to everything in it.
    const whole = plan.get(part.id)
    if (whole) rules.push(`${id(part.id)} { --fit: ${whole.leading}; --track: ${whole.tracking}em; }`)
    part.sections.forEach((section, i) => {
      const fit = plan.get(section.id)
      if (fit === undefined) return
      const next = part.sections[i + 1]
      const own = `:is(${id(section.id)}, ${id(section.id)} ~ *)`
      const selector = next ? `${own}:not(${id(next.id)}, ${id(next.id)} ~ *)` : own
      rules.push(`${selector} { --fit: ${fit.leading}; --track: ${fit.tracking}em; }`)
    })
  }
  return rules.join('\n')
}
