/**
 * Numbers keep their units: `9.75亿元`, `2019-2021年`, `34.1%` are wrapped in a no-break span, so that no line or
 * page break falls between a number and what it counts.
 */
import type { Element, Root } from 'hast'
import { wrapMatches } from './hast.ts'

/** Counters and units that must not be parted from the number before them. */
export const NUMBER_UNITS = '亿万千百元件项年月日个家倍人次笔户台款%％'

const NUMBER = String.raw`\d[\d.,]*(?:[-–~～]\d[\d.,]*)?`
const NUMBER_WITH_UNIT = new RegExp(`${NUMBER}[${NUMBER_UNITS}]+`, 'g')

/** Wrap every number followed by its unit in `<span class="nb">` (styled `white-space: nowrap`). */
export function keepNumbersWithUnits(tree: Root | Element): void {
  wrapMatches(tree, NUMBER_WITH_UNIT, 'nb')
}
