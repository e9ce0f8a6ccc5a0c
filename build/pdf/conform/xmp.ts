/**
 * The XMP metadata packet: the document information dictionary restated in
 * XMP, with the PDF/A and PDF/UA identification. PDF/A-2 requires the two to
 * agree (ISO 19005-2 §6.6.2.3), and an extension schema for any namespace
 * outside its list, such as pdfuaid.
 */

export interface XmpFields {
  title: string
  author: string
  subject: string
  keywords: string
  creator: string
  producer: string
  /** ISO 8601, e.g. 2020-05-01T00:00:00Z. */
  created: string
  modified: string
  language: string
  pdfaPart: number
  pdfaConformance: string
  pdfuaPart: number
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** The pdfuaid schema described for PDF/A (the form veraPDF and Acrobat expect). */
const PDFUA_EXTENSION = `<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>`

/** An XMP packet (UTF-8) for the catalog's /Metadata stream. */
export function xmpPacket(fields: XmpFields): string {
  const lang = escape(fields.language)
  const alt = (value: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escape(value)}</rdf:li></rdf:Alt>`
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title>${alt(fields.title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>${escape(fields.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>${alt(fields.subject)}</dc:description>
<dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>${escape(fields.producer)}</pdf:Producer>
<pdf:Keywords>${escape(fields.keywords)}</pdf:Keywords>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>${escape(fields.creator)}</xmp:CreatorTool>
<xmp:CreateDate>${fields.created}</xmp:CreateDate>
<xmp:ModifyDate>${fields.modified}</xmp:ModifyDate>
<xmp:MetadataDate>${fields.modified}</xmp:MetadataDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>${fields.pdfaPart}</pdfaid:part>
<pdfaid:conformance>${escape(fields.pdfaConformance)}</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>${fields.pdfuaPart}</pdfuaid:part>
</rdf:Description>
${PDFUA_EXTENSION}
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`
}

/** A PDF date (D:YYYYMMDDHHmmSS with Z or an offset) as ISO 8601. */
export function isoDate(pdfDate: string): string {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(pdfDate)
  if (!m) throw new Error(`Not a PDF date: ${pdfDate}`)
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', zone = 'Z'] = m
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5)}`
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`
}
