/**
 * Numbers keep their units: `9.75亿元`, `2019-2021年`, `34.1%` are wrapped in a no-break span, so that no line or
 * page break falls between a number and what it counts.
 */
import type { Element, ElementContent, Root } from 'hast'
import { SKIP, visit } from 'unist-util-visit'
import { h, text } from './hast.ts'

/** Counters and units that must not be parted from the number before them. */
export const NUMBER_UNITS = '亿万千百元件项年月日个家倍人次笔户台款%％'

const NUMBER = String.raw`\d[\d.,]*(?:[-–~～]\d[\d.,]*)?`
const NUMBER_WITH_UNIT = new RegExp(`${NUMBER}[${NUMBER_UNITS}]+`, 'g')

/** Elements whose text is not running prose: code keeps its spaces, and figures are drawn. */
const SKIPPED = new Set(['code', 'pre', 'svg', 'script', 'style'])

/** Wrap every number followed by its unit in `<span class="nb">` (styled `white-space: nowrap`). */
export function keepNumbersWithUnits(tree: Root | Element): void {
  visit(tree, (node, index, parent) => {
    if (node.type === 'element' && (SKIPPED.has(node.tagName) || hasClass(node, 'nb'))) return SKIP
    if (node.type !== 'text' || !parent || index === undefined) return undefined
    const pieces = splitNumbers(node.value)
    if (!pieces) return undefined
    parent.children.splice(index, 1, ...(pieces as never[]))
    return [SKIP, index + pieces.length]
  })
}

function splitNumbers(value: string): ElementContent[] | undefined {
  const pieces: ElementContent[] = []
  let last = 0
  for (const match of value.matchAll(NUMBER_WITH_UNIT)) {
    if (match.index > last) pieces.push(text(value.slice(last, match.index)))
    pieces.push(h('span', { className: ['nb'] }, [text(match[0])]))
    last = match.index + match[0].length
  }
  if (pieces.length === 0) return undefined
  if (last < value.length) pieces.push(text(value.slice(last)))
  return pieces
}

function hasClass(node: Element, name: string): boolean {
  const classes = node.properties.className
  return Array.isArray(classes) && classes.includes(name)
}
