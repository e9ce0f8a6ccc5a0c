declare module 'subset-font' {
  /** Subset a font (TrueType, OpenType, WOFF or WOFF2) to the characters of `text`. */
  export default function subsetFont(
    font: Buffer | Uint8Array,
    text: string,
    options?: {
      targetFormat?: 'sfnt' | 'woff' | 'woff2' | 'truetype'
      preserveNameIds?: number[]
      variationAxes?: Record<string, number>
    },
  ): Promise<Buffer>
}
