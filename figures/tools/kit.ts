// What the book's diagrams share: the palette, and a diagram laid out in the book font.
import { Diagram, bookMeasure } from '../../tools/diagrams/layout.ts'

/**
 * The palette of the book's diagrams, tied to the document's colours (styles/common.css: --brand #1f4e79,
 * --accent #c55a11). Every fill behind text gives it 4.5:1 or more, and the fills that stand for different things
 * differ in greyscale: teal 63, navy 69, accent-deep 87, blue 103, muted 104 (of 255); the pale fills are 210–243.
 */
export const C = {
  navy: '#1f4e79',
  blue: '#2e75b6',
  sky: '#bdd7ee',
  pale: '#eef4fa',
  paleStroke: '#c6d8ea',
  teal: '#0b5557',
  tealPale: '#d6ecea',
  /** The document accent: rules and outlines. White text on it would be 4.3:1, so fills with text use accentDeep. */
  accent: '#c55a11',
  accentDeep: '#9a440b',
  accentPale: '#fbe9dc',
  accentLine: '#eab893',
  ink: '#1f2d3d',
  muted: '#5b6b7b',
  white: '#ffffff',
  line: '#8fa9c4',
}

// `npm run diagrams` runs in the book's root.
const settings = { root: process.cwd(), measure: await bookMeasure(process.cwd()), ink: C.ink, line: C.line }

/** A diagram of the book: written to `figures/<name>.vl.json` and `figures/data/<name>.json` by its `write()`. */
export const diagram = (name: string, W: number, H: number, description: string) =>
  new Diagram(settings, name, W, H, description)
