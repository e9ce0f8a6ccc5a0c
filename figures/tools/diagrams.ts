// Layout generator for the concept diagrams (图1, 图2, 图6–图13): writes figures/<name>.vl.json and figures/data/<name>.json.
// Run `npm run diagrams` after changing a diagram's wording here; the data files it writes may also be edited by hand.
import fs from 'node:fs'
import path from 'node:path'
import { createTextMeasurer } from '../../build/figures/measure.ts'
const root = path.resolve(import.meta.dirname, '../..')
const fonts = path.join(root, 'node_modules/@fontsource/noto-sans-sc/files')
const measure = createTextMeasurer({ regular: path.join(fonts, 'noto-sans-sc-chinese-simplified-400-normal.woff2'), bold: path.join(fonts, 'noto-sans-sc-chinese-simplified-700-normal.woff2') })
const width = (t: string, size: number, bold = false) => measure({ fontSize: size, fontWeight: bold ? 'bold' : 'normal' }, t)

export const C = {
  navy: '#1f4e79', blue: '#2e75b6', sky: '#bdd7ee', pale: '#eef4fa', paleStroke: '#c6d8ea',
  teal: '#138d90', tealPale: '#e0f2f1', orange: '#e07b28', orangePale: '#fdeee2', ink: '#1f2d3d', muted: '#5b6b7b', white: '#ffffff', line: '#8fa9c4', missing: '#9aa9b8',
}
type Row = Record<string, unknown>
const r1 = (n: number) => Math.round(n * 10) / 10

class Diagram {
  rows: Row[] = []
  constructor(public name: string, public W: number, public H: number, public description: string) {}
  box(x: number, y: number, w: number, h: number, fill: string, stroke = 'none', dash: number[] = [1, 0]) {
    this.rows.push({ kind: 'box', x: r1(x), y: r1(y), x2: r1(x + w), y2: r1(y + h), fill, stroke, ...(dash[0] !== 1 ? { dashed: true } : {}) })
    return { x, y, w, h }
  }
  text(x: number, y: number, text: string, o: { size?: number; bold?: boolean; color?: string; align?: 'center' | 'left' | 'right' } = {}) {
    this.rows.push({ kind: 'text', x: r1(x), y: r1(y), text, size: o.size ?? 12, weight: o.bold ? 'bold' : 'normal', align: o.align ?? 'center', color: o.color ?? C.ink })
  }
  /** Text centred in a box, wrapped to fit with padding. Returns line count. */
  label(b: { x: number; y: number; w: number; h: number }, text: string, o: { size?: number; bold?: boolean; color?: string; dy?: number } = {}) {
    const size = o.size ?? 12
    const lines = wrap(text, b.w - 16, size, o.bold)
    const lh = size * 1.35
    const top = b.y + b.h / 2 - ((lines.length - 1) * lh) / 2 + (o.dy ?? 0)
    lines.forEach((line, i) => this.text(b.x + b.w / 2, top + i * lh, line, { ...o, size }))
    return lines.length
  }
  rule(x: number, y: number, x2: number, y2: number, color = C.line, dash: number[] = [1, 0], strokeWidth = 1.5) {
    this.rows.push({ kind: 'rule', x: r1(x), y: r1(y), x2: r1(x2), y2: r1(y2), stroke: color, dash, strokeWidth })
  }
  /** Arrow from (x,y) to (x2,y2) with a head at the end. */
  arrow(x: number, y: number, x2: number, y2: number, color = C.line) {
    const angle = (Math.atan2(y2 - y, x2 - x) * 180) / Math.PI + 90
    const back = 5
    const len = Math.hypot(x2 - x, y2 - y)
    this.rule(x, y, x2 - ((x2 - x) / len) * back, y2 - ((y2 - y) / len) * back, color)
    this.rows.push({ kind: 'head', x: r1(x2 - ((x2 - x) / len) * 4), y: r1(y2 - ((y2 - y) / len) * 4), angle: r1(angle), fill: color })
  }
  /** Equal chips in a row. */
  chips(x: number, y: number, w: number, h: number, labels: string[], fill: string, color: string, o: { gap?: number; size?: number; bold?: boolean; stroke?: string } = {}) {
    const gap = o.gap ?? 8
    const cw = (w - gap * (labels.length - 1)) / labels.length
    return labels.map((l, i) => {
      const b = this.box(x + i * (cw + gap), y, cw, h, fill, o.stroke ?? 'none')
      this.label(b, l, { size: o.size ?? 12.5, bold: o.bold, color })
      return b
    })
  }
  /** Chips sized to their text, flowing left to right. */
  flow(x: number, y: number, h: number, labels: string[], fill: string, color: string, o: { gap?: number; size?: number; pad?: number; stroke?: string } = {}) {
    const size = o.size ?? 12.5
    let cx = x
    for (const l of labels) {
      const w = width(l, size) + 2 * (o.pad ?? 12)
      const b = this.box(cx, y, w, h, fill, o.stroke ?? 'none')
      this.label(b, l, { size, color })
      cx += w + (o.gap ?? 8)
    }
    return cx - (o.gap ?? 8)
  }
  write() {
    fs.writeFileSync(path.join(root, 'figures/data', `${this.name}.json`), '[\n' + this.rows.map((r) => '  ' + JSON.stringify(r)).join(',\n') + '\n]\n')
    fs.writeFileSync(path.join(root, 'figures', `${this.name}.vl.json`), JSON.stringify(spec(this), null, 2) + '\n')
  }
}

function wrap(text: string, max: number, size: number, bold?: boolean): string[] {
  const out: string[] = []
  for (const para of text.split('\n')) {
    let line = ''
    // break after punctuation or between CJK chars; keep ASCII words together
    const tokens = para.match(/[A-Za-z0-9+.%]+|./gu) ?? []
    for (const t of tokens) {
      if (line && width(line + t, size, bold) > max && !/^[，、。；：）”]$/.test(t)) {
        out.push(line)
        line = t
      } else line += t
    }
    out.push(line)
  }
  return out
}

function spec(d: Diagram) {
  const pos = (f: string, dom: number, axis: 'x' | 'y') => ({ field: f, type: 'quantitative', axis: null, scale: { domain: [0, dom], nice: false, zero: false, ...(axis === 'y' ? { reverse: true } : {}) } })
  const pos2 = (f: string) => ({ field: f })
  const textLayer = (weight: string, align: string) => ({
    transform: [{ filter: `datum.kind === 'text' && datum.weight === '${weight}' && datum.align === '${align}'` }],
    mark: { type: 'text', baseline: 'middle', align, fontWeight: weight },
    encoding: { x: pos('x', d.W, 'x'), y: pos('y', d.H, 'y'), text: { field: 'text' }, size: { field: 'size', type: 'quantitative', scale: null }, color: { field: 'color', type: 'nominal', scale: null } },
  })
  const layers: unknown[] = [
    {
      transform: [{ filter: "datum.kind === 'box'" }],
      mark: { type: 'rect', cornerRadius: 6, strokeWidth: 1.2 },
      encoding: { x: pos('x', d.W, 'x'), x2: pos2('x2'), y: pos('y', d.H, 'y'), y2: pos2('y2'), fill: { field: 'fill', type: 'nominal', scale: null }, stroke: { field: 'stroke', type: 'nominal', scale: null }, strokeOpacity: { condition: { test: 'datum.dashed', value: 0 }, value: 1 } },
    },
    ...(d.rows.some((r) => r.dashed) ? [{
      transform: [{ filter: "datum.kind === 'box' && datum.dashed" }],
      mark: { type: 'rect', cornerRadius: 6, strokeWidth: 1.2, strokeDash: [4, 3], fillOpacity: 0 },
      encoding: { x: pos('x', d.W, 'x'), x2: pos2('x2'), y: pos('y', d.H, 'y'), y2: pos2('y2'), stroke: { field: 'stroke', type: 'nominal', scale: null } },
    }] : []),
    {
      transform: [{ filter: "datum.kind === 'rule'" }],
      mark: { type: 'rule' },
      encoding: { x: pos('x', d.W, 'x'), x2: pos2('x2'), y: pos('y', d.H, 'y'), y2: pos2('y2'), color: { field: 'stroke', type: 'nominal', scale: null }, strokeDash: { field: 'dash', type: 'nominal', scale: null }, strokeWidth: { field: 'strokeWidth', type: 'quantitative', scale: null } },
    },
    {
      transform: [{ filter: "datum.kind === 'head'" }],
      mark: { type: 'point', shape: 'triangle-up', filled: true, size: 60, opacity: 1 },
      encoding: { x: pos('x', d.W, 'x'), y: pos('y', d.H, 'y'), angle: { field: 'angle', type: 'quantitative', scale: null }, color: { field: 'fill', type: 'nominal', scale: null } },
    },
  ]
  for (const w of ['normal', 'bold']) for (const a of ['center', 'left', 'right']) if (d.rows.some((r) => r.kind === 'text' && r.weight === w && r.align === a)) layers.push(textLayer(w, a))
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: d.description,
    width: d.W,
    height: d.H,
    padding: 2,
    autosize: { type: 'none' },
    background: 'transparent',
    data: { url: `data/${d.name}.json` },
    layer: layers,
    config: { view: { stroke: null } },
  }
}

// ───────────────────────── 图1 金融科技内涵
{
  const d = new Diagram('fintech-scope', 640, 292, '概念图：金融科技的分析框架分为三个层面——技术层面的六大技术（云计算、大数据、人工智能、区块链、互联技术、安全技术），主体层面的传统金融机构、新兴金融业态和金融IT公司，以及影响金融科技健康发展的两大因素（风控、监管）。')
  const hx = 0, hw = 118, rx = 134, rw = 640 - 134
  // row 1
  let b = d.box(hx, 0, hw, 56, C.navy); d.label(b, '技术层面', { bold: true, color: C.white, size: 14, dy: -9 }); d.text(hx + hw / 2, 37, '六大技术', { size: 11.5, color: C.sky })
  d.box(rx, 0, rw, 56, C.pale)
  d.chips(rx + 10, 10, rw - 20, 36, ['云计算', '大数据', '人工智能', '区块链', '互联技术', '安全技术'], C.blue, C.white, { bold: true, size: 13 })
  d.arrow(hx + hw / 2, 58, hx + hw / 2, 80)
  // row 2
  b = d.box(hx, 82, hw, 120, C.navy); d.label(b, '主体层面', { bold: true, color: C.white, size: 14, dy: -9 }); d.text(hx + hw / 2, 82 + 60 + 10, '科技对金融行业的影响', { size: 10.5, color: C.sky })
  d.box(rx, 82, rw, 120, C.pale)
  const subjects: [string, string][] = [
    ['传统金融机构', '利用科技手段\n推动创新、提高效率'],
    ['新兴金融业态', '利用金融科技\n推出全新的金融产品'],
    ['金融IT公司', '为传统金融机构在客服、\n风控、支付、投顾和征信\n等领域提供技术服务'],
  ]
  const cw = (rw - 20 - 16) / 3
  subjects.forEach(([t, s], i) => {
    const x = rx + 10 + i * (cw + 8)
    const head = d.box(x, 92, cw, 32, C.blue); d.label(head, t, { bold: true, color: C.white, size: 13 })
    const body = d.box(x, 124, cw, 68, C.white, C.paleStroke); d.label(body, s, { size: 11.5, color: C.ink })
  })
  d.arrow(hx + hw / 2, 204, hx + hw / 2, 226)
  // row 3
  b = d.box(hx, 228, hw, 62, C.orange); d.label(b, '因素层面', { bold: true, color: C.white, size: 14, dy: -9 }); d.text(hx + hw / 2, 228 + 31 + 10, '两大因素', { size: 11.5, color: C.orangePale })
  d.box(rx, 228, rw, 62, C.orangePale)
  d.chips(rx + 10, 238, 170, 42, ['风控', '监管'], C.white, C.orange, { bold: true, size: 14, stroke: C.orange })
  d.text(rx + 196, 259, '影响金融科技能否健康发展的两大因素', { size: 12, color: C.ink, align: 'left' })
  d.write()
}

// ───────────────────────── 图2 金融科技产业链全景图
{
  const d = new Diagram('industry-chain', 640, 250, '分层图：金融科技产业链自下而上分为技术服务层、解决方案层和业务应用层三大层级；各层级的细分领域并非严格区分，市场参与者的业务在各层级之间相互渗透。')
  const hw = 120, rx = 132, rw = 456
  const layer = (y: number, name: string, fill: string, text: string) => { const b = d.box(0, y, hw, 66, fill); d.label(b, name, { bold: true, color: text, size: 14 }); d.box(rx, y, rw, 66, C.pale) }
  layer(0, '业务应用层', C.navy, C.white)
  d.chips(rx + 10, 15, rw - 20, 36, ['支付', '投资', '信贷', '风险控制', '咨询服务'], C.white, C.navy, { stroke: C.paleStroke, size: 12.5 })
  layer(84, '解决方案层', C.blue, C.white)
  const ph = d.box(rx + 10, 99, rw - 20, 36, C.white, C.missing, [4, 3]); d.label(ph, '原文未列举细分领域', { size: 11.5, color: '#7a8896' })
  layer(168, '技术服务层', C.sky, C.navy)
  d.chips(rx + 10, 183, rw - 20, 36, ['云计算', '大数据', '人工智能', '区块链', '互联技术', '安全技术'], C.blue, C.white, { size: 12, gap: 6 })
  // upward arrow and note
  const ax = 606
  d.arrow(ax, 232, ax, 4, C.navy)
  d.text(ax + 20, 84, '自', { size: 12, bold: true, color: C.navy }); d.text(ax + 20, 100, '下', { size: 12, bold: true, color: C.navy }); d.text(ax + 20, 116, '而', { size: 12, bold: true, color: C.navy }); d.text(ax + 20, 132, '上', { size: 12, bold: true, color: C.navy })
  d.text(rx, 244, '注：各层级细分领域并非严格区分，市场参与者在各层级之间的业务有所渗透且形成有效竞争。', { size: 10.5, color: C.muted, align: 'left' })
  d.H = 252
  d.write()
}

// ───────────────────────── 图6 金融科技典型应用领域
{
  const rows: [string, string[]][] = [
    ['大数据', ['智能投顾', '信用评分']],
    ['人工智能', ['监管科技', '欺诈侦测', '资产交易']],
    ['区块链', ['支付结算', 'B2B支付']],
    ['云计算', ['证券结算和记录', '数字货币']],
    ['安全技术', ['自动化交易', '安全保障', '身份验证']],
    ['互联技术', ['股权众筹', '数字钱包', '财富管理', 'P2P转账', '互操作性和可扩展性']],
  ]
  const rh = 38, top = 78
  const d = new Diagram('application-domains', 640, top + rows.length * (rh + 6) - 6, '矩阵图：金融科技典型应用领域涵盖支付、投资、信贷、风险控制和咨询服务；按技术列出典型应用——大数据：智能投顾、信用评分；人工智能：监管科技、欺诈侦测、资产交易；区块链：支付结算、B2B支付；云计算：证券结算和记录、数字货币；安全技术：自动化交易、安全保障、身份验证；互联技术：股权众筹、数字钱包、财富管理、P2P转账、互操作性和可扩展性。')
  const hb = d.box(0, 0, 640, 36, C.navy); 
  d.text(14, 18, '应用领域', { bold: true, color: C.white, size: 13, align: 'left' })
  d.chips(104, 6, 640 - 112, 24, ['支付', '投资', '信贷', '风险控制', '咨询服务'], C.blue, C.white, { size: 12.5, bold: true })
  void hb
  d.text(50, 58, '技术', { bold: true, color: C.navy, size: 12.5 })
  d.text(112, 58, '典型应用', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  d.rule(0, 68, 640, 68, C.line, [1, 0], 1)
  rows.forEach(([tech, apps], i) => {
    const y = top + i * (rh + 6)
    const t = d.box(0, y, 100, rh, i % 2 ? C.blue : C.navy); d.label(t, tech, { bold: true, color: C.white, size: 13 })
    d.box(104, y, 536, rh, C.pale)
    d.flow(112, y + 6, rh - 12, apps, C.white, C.ink, { size: 12, pad: 12, gap: 8, stroke: C.paleStroke })
  })
  d.write()
}

// ───────────────────────── 图7 金融科技类型和价值
{
  const d = new Diagram('types-value', 640, 318, '流程图：金融行业的客户信息、交易信息、资产信息、信用信息等数据经采集和分析形成信息资产；金融大数据应用分为监管应用和机构运维服务应用（机构运营、服务、基础设施）两大类；其价值在于精准营销、提升运营效率、提高欺诈管理水平、增强信用风险管理能力、为决策提供支持，以及了解客户需求、开发新产品。')
  const col = (x: number, w: number, title: string, fill: string) => { const b = d.box(x, 0, w, 34, fill); d.label(b, title, { bold: true, color: C.white, size: 13.5 }); d.box(x, 40, w, 278, C.pale) }
  // data
  col(0, 150, '数据资源', C.blue)
  ;['客户信息', '交易信息', '资产信息', '信用信息'].forEach((t, i) => { const b = d.box(12, 52 + i * 44, 126, 34, C.white, C.paleStroke); d.label(b, t, { size: 12.5 }) })
  const ia = d.box(12, 238, 126, 68, C.sky); d.label(ia, '内外部数据结合\n形成信息资产', { size: 12, color: C.navy, bold: true })
  d.arrow(152, 179, 176, 179)
  // types
  col(178, 210, '应用类型', C.navy)
  let b = d.box(190, 52, 186, 34, C.blue); d.label(b, '监管应用', { bold: true, color: C.white, size: 13 })
  b = d.box(190, 86, 186, 62, C.white, C.paleStroke); d.label(b, '综合性监管分析报告，\n风险预警模型', { size: 11.5 })
  b = d.box(190, 162, 186, 34, C.blue); d.label(b, '机构运维服务应用', { bold: true, color: C.white, size: 13 })
  b = d.box(190, 196, 186, 110, C.white, C.paleStroke)
  ;['机构运营', '服务', '基础设施'].forEach((t, i) => { const c = d.box(202, 206 + i * 32, 162, 26, C.sky); d.label(c, t, { size: 12, color: C.navy }) })
  d.arrow(390, 179, 414, 179)
  // value
  col(416, 224, '应用价值', C.orange)
  ;['精准营销', '提升运营效率', '提高欺诈管理水平', '增强信用风险管理能力', '为决策提供有效支持', '了解客户需求，开发新产品'].forEach((t, i) => {
    const c = d.box(428, 52 + i * 43, 200, 34, C.white, C.orange); d.label(c, t, { size: 12, color: C.ink })
  })
  d.write()
}

// ───────────────────────── 图8 新一代信息技术融合趋势
{
  const d = new Diagram('tech-convergence', 640, 360, '概念图：大数据、云计算、人工智能、区块链（ABCD）与互联技术、安全技术彼此依赖、相互促进，形成融合生态，推动金融科技进入新阶段；技术叠加的应用包括 AI+大数据（智能投顾、智能风控、资产管理）、AI+云计算（信贷风险管理、监管科技、欺诈侦测）、区块链+大数据（数字货币、证券交易结算）、AI+大数据+安全技术（身份验证、数字支付、智能交易）。')
  const techs: [string, string][] = [
    ['大数据', '差异化服务\n精准营销\n加强风险控制'],
    ['云计算', '底层设施\n降低运营成本'],
    ['人工智能', '代替程序化工作\n提升效率和体验'],
    ['区块链', '“去中心化”\n模式重构\n增强安全性'],
    ['互联技术', '“物联网+金融”\n全新业态'],
    ['安全技术', '保证金融行为\n安全稳定运行'],
  ]
  const cw = (640 - 5 * 8) / 6
  techs.forEach(([t, s], i) => {
    const x = i * (cw + 8)
    const h = d.box(x, 0, cw, 32, i < 4 ? C.navy : C.blue); d.label(h, t, { bold: true, color: C.white, size: 13 })
    const b = d.box(x, 32, cw, 72, C.pale); d.label(b, s, { size: 11, color: C.ink })
    d.arrow(x + cw / 2, 106, x + cw / 2, 126)
  })
  const band = d.box(0, 128, 640, 44, C.teal); d.label(band, '相互依赖、相互促进，形成融合生态，推动金融科技发展进入新阶段', { bold: true, color: C.white, size: 13.5 })
  d.text(0, 194, '技术叠加的典型应用', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const combos: [string, string[]][] = [
    ['AI + 大数据', ['智能投顾', '智能风控', '资产管理']],
    ['AI + 云计算', ['信贷风险管理', '监管科技', '欺诈侦测']],
    ['区块链 + 大数据', ['数字货币', '证券交易结算']],
    ['AI + 大数据 + 安全技术', ['身份验证', '数字支付', '智能交易']],
  ]
  const kw = (640 - 3 * 10) / 4
  combos.forEach(([t, apps], i) => {
    const x = i * (kw + 10)
    const h = d.box(x, 208, kw, 32, C.orange); d.label(h, t, { bold: true, color: C.white, size: 12.5 })
    d.box(x, 240, kw, 120, C.orangePale)
    apps.forEach((a, j) => { const c = d.box(x + 10, 250 + j * 36, kw - 20, 28, C.white, '#f2c9a6'); d.label(c, a, { size: 12 }) })
  })
  d.write()
}

// ───────────────────────── 图9 金融科技赋能融资信贷
{
  const d = new Diagram('credit', 640, 300, '流程图：金融科技在贷前、贷中、贷后的信贷全流程释放能量——区块链、生物识别等技术保证信息的可靠性和透明性，大数据降低信息获取成本，人工智能减少人力成本，从而缓解信息不对称，解决中小企业风险评估问题，降低金融服务风险，提高金融服务可得性。')
  const t = d.box(0, 0, 110, 52, C.navy); d.label(t, '信贷全流程', { bold: true, color: C.white, size: 13.5 })
  const stages = ['贷前', '贷中', '贷后']
  const sw = 150
  stages.forEach((s, i) => {
    const x = 130 + i * (sw + 30)
    const b = d.box(x, 0, sw, 52, C.blue); d.label(b, s, { bold: true, color: C.white, size: 15 })
    if (i < 2) d.arrow(x + sw + 3, 26, x + sw + 27, 26, C.navy)
  })
  d.rule(0, 70, 640, 70, C.paleStroke, [4, 3], 1)
  const techs: [string, string][] = [
    ['区块链、生物识别', '保证信息的可靠性和透明性'],
    ['大数据', '极大地降低信息获取成本'],
    ['人工智能', '减少人力成本'],
  ]
  const cw = (640 - 2 * 12) / 3
  techs.forEach(([a, b], i) => {
    const x = i * (cw + 12)
    const h = d.box(x, 86, cw, 34, C.navy); d.label(h, a, { bold: true, color: C.white, size: 13 })
    const body = d.box(x, 120, cw, 52, C.pale); d.label(body, b, { size: 12.5, color: C.ink })
    d.arrow(x + cw / 2, 174, x + cw / 2, 198)
  })
  const out = d.box(0, 200, 640, 100, C.orangePale)
  void out
  d.text(14, 218, '应用成效', { bold: true, color: C.orange, size: 12.5, align: 'left' })
  const effects = ['缓解信息不对称问题', '解决中小企业风险评估问题', '降低金融服务风险', '提高金融服务可得性']
  d.chips(14, 236, 612, 48, effects, C.white, C.ink, { stroke: '#f2c9a6', size: 12.5, gap: 10 })
  d.write()
}

// ───────────────────────── 图10 消费金融典型应用场景
{
  const d = new Diagram('consumer-finance', 640, 280, '场景图：消费金融以场景为依托，为消费者提供小额、短期融资；文中提及的场景包括信用卡与信用消费、房地产后市场、汽车后市场、教育和耐用消费品；大数据用于精准获客和差异化推广，人工智能迭代优化以提高营销转化率，机器学习建模用于风控评估、实时阻断交易风险。')
  const c = d.box(150, 0, 340, 60, C.navy)
  d.label(c, '消费金融', { bold: true, color: C.white, size: 15, dy: -10 })
  d.text(320, 42, '以场景为依托，为消费者提供小额、短期融资', { size: 11.5, color: C.sky })
  d.text(0, 84, '典型应用场景', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const scenes = ['信用卡、信用消费', '房地产后市场', '汽车后市场', '教育', '耐用消费品']
  const sw = (640 - 4 * 8) / 5
  scenes.forEach((s, i) => {
    const x = i * (sw + 8)
    d.rule(320, 60, x + sw / 2, 98, C.line, [1, 0], 1)
    const b = d.box(x, 98, sw, 46, C.blue); d.label(b, s, { bold: true, color: C.white, size: 12.5 })
  })
  d.text(0, 170, '科技手段', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const techs: [string, string][] = [
    ['大数据', '掌握基础数据和行为数据\n精准获客、差异化推广'],
    ['人工智能', '每次结果迭代优化\n逐步提高营销转化率'],
    ['机器学习建模', '风控评估\n为每笔交易评估风险分值\n实时阻断交易风险'],
  ]
  const tw = (640 - 2 * 10) / 3
  techs.forEach(([t, s], i) => {
    const x = i * (tw + 10)
    const h = d.box(x, 184, tw, 32, C.teal); d.label(h, t, { bold: true, color: C.white, size: 13 })
    const b = d.box(x, 216, tw, 64, C.tealPale); d.label(b, s, { size: 12, color: C.ink })
  })
  d.write()
}

// ───────────────────────── 图11 数字支付典型应用场景
{
  const d = new Diagram('digital-payment', 640, 262, '场景图：支付体系先后经历实物支付、信用支付、数字支付三个发展阶段，支付介质从物理走向数字化；数字支付突破时空限制、与场景融合更加紧密；随着5G、人工智能、大数据、区块链的发展，生物识别进入支付领域，例如自助售货机刷脸支付，全程5秒完成，无需移动设备。')
  const stages: [string, string, string][] = [['实物支付', C.sky, C.navy], ['信用支付', C.blue, C.white], ['数字支付', C.navy, C.white]]
  const sw = 176
  stages.forEach(([s, f, t], i) => {
    const x = i * (sw + 56)
    const b = d.box(x, 0, sw, 48, f); d.label(b, s, { bold: true, color: t, size: 15 })
    if (i < 2) d.arrow(x + sw + 6, 24, x + sw + 50, 24, C.navy)
  })
  d.text(320, 66, '支付介质：从物理到数字化的演变', { size: 11.5, color: C.muted })
  d.rule(0, 82, 640, 82, C.paleStroke, [4, 3], 1)
  const feats = ['加速突破时空限制', '与场景融合更加紧密', '“当你需要时，它就在那里”']
  d.text(0, 102, '数字支付的特点', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  d.chips(0, 116, 640, 36, feats, C.pale, C.navy, { size: 12.5, gap: 10 })
  d.text(0, 174, '典型场景', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const t = d.box(0, 188, 220, 74, C.teal)
  d.label(t, '5G、人工智能、大数据、区块链\n推动生物识别进入支付领域', { size: 12, bold: true, color: C.white })
  d.arrow(222, 225, 246, 225, C.teal)
  const s = d.box(248, 188, 392, 74, C.tealPale)
  d.label(s, '刷脸支付自助售货机：用户对着摄像头看一眼，\n全程5秒完成支付，无需移动设备', { size: 12.5, color: C.ink })
  void s
  d.write()
}

// ───────────────────────── 图12 金融科技涉及的主要生物识别技术
{
  const d = new Diagram('biometrics', 640, 196, '概念图：生物识别以生物特征标识用户身份；文中涉及的生物识别技术为人脸识别（刷脸支付）和声纹识别（声纹识别系统、移动金融基于声纹识别的安全应用技术规范）；在融资信贷中，生物识别等技术可保证信息的可靠性和透明性。')
  const c = d.box(0, 0, 640, 44, C.navy); d.label(c, '生物识别：以生物特征标识用户身份', { bold: true, color: C.white, size: 14 })
  const items: [string, string][] = [
    ['人脸识别', '刷脸支付：对着摄像头看一眼，全程5秒完成支付'],
    ['声纹识别', '声纹识别系统\n移动金融基于声纹识别的安全应用技术规范'],
  ]
  items.forEach(([t, s], i) => {
    const x = i * 326
    d.arrow(x + 157, 46, x + 157, 66)
    const h = d.box(x, 68, 314, 34, C.blue); d.label(h, t, { bold: true, color: C.white, size: 13.5 })
    const b = d.box(x, 102, 314, 50, C.pale); d.label(b, s, { size: 12, color: C.ink })
  })
  const a = d.box(0, 162, 640, 34, C.tealPale)
  d.label(a, '应用：数字支付（刷脸支付）· 融资信贷（保证信息的可靠性和透明性）', { size: 12, color: C.teal, bold: true })
  void a
  d.write()
}

// ───────────────────────── 图13 智能风控全流程管理
{
  const d = new Diagram('risk-control', 640, 334, '流程图：智能风控整合客户的交易行为、个人资产、身份特征画像、履约历史、行为偏好、关系网络等多个维度的数据，在业务的事前、事中、事后进行综合分析和判断，开展全方位的风险预测和管控；风险识别是核心，数据的维度和密度是基础，数据分析与建模能力是关键。')
  const h = d.box(0, 0, 110, 80, C.blue); d.label(h, '多维度数据', { bold: true, color: C.white, size: 13.5 })
  d.box(116, 0, 524, 80, C.pale)
  const dims = ['交易行为', '个人资产', '身份特征画像', '履约历史', '行为偏好', '关系网络']
  const dw = (524 - 20 - 2 * 8) / 3
  dims.forEach((t, i) => { const b = d.box(126 + (i % 3) * (dw + 8), 8 + Math.floor(i / 3) * 36, dw, 28, C.white, C.paleStroke); d.label(b, t, { size: 12.5 }) })
  d.arrow(320, 82, 320, 106, C.navy)
  const stages = ['事前', '事中', '事后']
  const sw = 180
  stages.forEach((s, i) => {
    const x = i * (sw + 50)
    const b = d.box(x, 108, sw, 48, C.navy); d.label(b, s, { bold: true, color: C.white, size: 15 })
    if (i < 2) d.arrow(x + sw + 5, 132, x + sw + 45, 132, C.navy)
  })
  const band = d.box(0, 164, 640, 36, C.sky); d.label(band, '综合分析和判断，开展全方位的风险预测和管控', { bold: true, color: C.navy, size: 13 })
  void band
  d.text(0, 222, '智能风控三要素', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const pillars: [string, string, string][] = [['核心', '风险识别', C.orange], ['基础', '数据的维度和密度', C.teal], ['关键', '数据分析与建模能力', C.blue]]
  const pw = (640 - 2 * 12) / 3
  pillars.forEach(([k, v, f], i) => {
    const x = i * (pw + 12)
    const a = d.box(x, 238, pw, 34, f); d.label(a, k, { bold: true, color: C.white, size: 13.5 })
    const b = d.box(x, 272, pw, 62, C.white, f); d.label(b, v, { size: 13, color: C.ink, bold: true })
  })
  d.write()
}
