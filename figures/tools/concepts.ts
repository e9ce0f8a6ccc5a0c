// The concept diagrams of parts one and two: 图1, 图2, 图6–图8.
import { C, diagram } from './kit.ts'

/** 图1 金融科技内涵 */
export function fintechScope(): void {
  const d = diagram(
    'fintech-scope',
    640,
    292,
    '概念图：金融科技的分析框架分为三个层面——技术层面的六大技术（云计算、大数据、人工智能、区块链、互联技术、安全技术），主体层面的传统金融机构、新兴金融业态和金融IT公司，以及影响金融科技健康发展的两大因素（风控、监管）。',
  )
  const hx = 0,
    hw = 118,
    rx = 134,
    rw = 640 - 134
  // row 1
  let b = d.box(hx, 0, hw, 56, C.navy)
  d.label(b, '技术层面', { bold: true, color: C.white, size: 14, dy: -9 })
  d.text(hx + hw / 2, 37, '六大技术', { size: 11.5, color: C.sky })
  d.box(rx, 0, rw, 56, C.pale)
  d.chips(
    rx + 10,
    10,
    rw - 20,
    36,
    ['云计算', '大数据', '人工智能', '区块链', '互联技术', '安全技术'],
    C.blue,
    C.white,
    { bold: true, size: 13 },
  )
  d.arrow(hx + hw / 2, 58, hx + hw / 2, 80)
  // row 2
  b = d.box(hx, 82, hw, 120, C.navy)
  d.label(b, '主体层面', { bold: true, color: C.white, size: 14, dy: -9 })
  d.text(hx + hw / 2, 82 + 60 + 10, '科技对金融行业的影响', { size: 11, color: C.sky })
  d.box(rx, 82, rw, 120, C.pale)
  const subjects: [string, string][] = [
    ['传统金融机构', '利用科技手段\n推动创新、提高效率'],
    ['新兴金融业态', '利用金融科技\n推出全新的金融产品'],
    ['金融IT公司', '为传统金融机构在客服、\n风控、支付、投顾和征信\n等领域提供技术服务'],
  ]
  const cw = (rw - 20 - 16) / 3
  subjects.forEach(([t, s], i) => {
    const x = rx + 10 + i * (cw + 8)
    const head = d.box(x, 92, cw, 32, C.blue)
    d.label(head, t, { bold: true, color: C.white, size: 13 })
    const body = d.box(x, 124, cw, 68, C.white, C.paleStroke)
    d.label(body, s, { size: 11.5, color: C.ink })
  })
  d.arrow(hx + hw / 2, 204, hx + hw / 2, 226)
  // row 3
  b = d.box(hx, 228, hw, 62, C.accentDeep)
  d.label(b, '因素层面', { bold: true, color: C.white, size: 14, dy: -9 })
  d.text(hx + hw / 2, 228 + 31 + 10, '两大因素', { size: 11.5, color: C.accentPale })
  d.box(rx, 228, rw, 62, C.accentPale)
  d.chips(rx + 10, 238, 170, 42, ['风控', '监管'], C.white, C.accentDeep, { bold: true, size: 14, stroke: C.accent })
  d.text(rx + 196, 259, '影响金融科技能否健康发展的两大因素', { size: 12, color: C.ink, align: 'left' })
  d.write()
}

/** 图2 金融科技产业链全景图 */
export function industryChain(): void {
  const d = diagram(
    'industry-chain',
    640,
    250,
    '分层图：金融科技产业链自下而上分为技术服务层、解决方案层和业务应用层三大层级；各层级的细分领域并非严格区分，市场参与者的业务在各层级之间相互渗透。',
  )
  const hw = 120,
    rx = 132,
    rw = 456
  const layer = (y: number, name: string, fill: string, text: string) => {
    const b = d.box(0, y, hw, 66, fill)
    d.label(b, name, { bold: true, color: text, size: 14 })
    d.box(rx, y, rw, 66, C.pale)
  }
  layer(0, '业务应用层', C.navy, C.white)
  d.chips(rx + 10, 15, rw - 20, 36, ['支付', '投资', '信贷', '风险控制', '咨询服务'], C.white, C.navy, {
    stroke: C.paleStroke,
    size: 12.5,
  })
  layer(84, '解决方案层', C.blue, C.white)
  // The text names no segments of this layer: the band stays empty, and the figure's note says so.
  layer(168, '技术服务层', C.sky, C.navy)
  d.chips(
    rx + 10,
    183,
    rw - 20,
    36,
    ['云计算', '大数据', '人工智能', '区块链', '互联技术', '安全技术'],
    C.blue,
    C.white,
    { size: 12, gap: 6 },
  )
  // upward arrow and note
  const ax = 606
  d.arrow(ax, 232, ax, 4, C.navy)
  d.text(ax + 20, 84, '自', { size: 12, bold: true, color: C.navy })
  d.text(ax + 20, 100, '下', { size: 12, bold: true, color: C.navy })
  d.text(ax + 20, 116, '而', { size: 12, bold: true, color: C.navy })
  d.text(ax + 20, 132, '上', { size: 12, bold: true, color: C.navy })
  d.write()
}

/** 图6 金融科技典型应用领域 */
export function applicationDomains(): void {
  const rows: [string, string[]][] = [
    ['大数据', ['智能投顾', '信用评分']],
    ['人工智能', ['监管科技', '欺诈侦测', '资产交易']],
    ['区块链', ['支付结算', 'B2B支付']],
    ['云计算', ['证券结算和记录', '数字货币']],
    ['安全技术', ['自动化交易', '安全保障', '身份验证']],
    ['互联技术', ['股权众筹', '数字钱包', '财富管理', 'P2P转账', '互操作性和可扩展性']],
  ]
  const rh = 38,
    top = 78
  const d = diagram(
    'application-domains',
    640,
    top + rows.length * (rh + 6) - 6,
    '矩阵图：金融科技典型应用领域涵盖支付、投资、信贷、风险控制和咨询服务；按技术列出典型应用——大数据：智能投顾、信用评分；人工智能：监管科技、欺诈侦测、资产交易；区块链：支付结算、B2B支付；云计算：证券结算和记录、数字货币；安全技术：自动化交易、安全保障、身份验证；互联技术：股权众筹、数字钱包、财富管理、P2P转账、互操作性和可扩展性。',
  )
  const hb = d.box(0, 0, 640, 36, C.navy)
  d.text(14, 18, '应用领域', { bold: true, color: C.white, size: 13, align: 'left' })
  d.chips(104, 6, 640 - 112, 24, ['支付', '投资', '信贷', '风险控制', '咨询服务'], C.blue, C.white, {
    size: 12.5,
    bold: true,
  })
  void hb
  d.text(50, 58, '技术', { bold: true, color: C.navy, size: 12.5 })
  d.text(112, 58, '典型应用', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  d.rule(0, 68, 640, 68, C.line, [1, 0], 1)
  rows.forEach(([tech, apps], i) => {
    const y = top + i * (rh + 6)
    const t = d.box(0, y, 100, rh, i % 2 ? C.blue : C.navy)
    d.label(t, tech, { bold: true, color: C.white, size: 13 })
    d.box(104, y, 536, rh, C.pale)
    d.flow(112, y + 6, rh - 12, apps, C.white, C.ink, { size: 12, pad: 12, gap: 8, stroke: C.paleStroke })
  })
  d.write()
}

/** 图7 金融科技类型和价值 */
export function typesValue(): void {
  const d = diagram(
    'types-value',
    640,
    318,
    '流程图：金融行业的客户信息、交易信息、资产信息、信用信息等数据经采集和分析形成信息资产；金融大数据应用分为监管应用和机构运维服务应用（机构运营、服务、基础设施）两大类；其价值在于精准营销、提升运营效率、提高欺诈管理水平、增强信用风险管理能力、为决策提供支持，以及了解客户需求、开发新产品。',
  )
  const col = (x: number, w: number, title: string, fill: string) => {
    const b = d.box(x, 0, w, 34, fill)
    d.label(b, title, { bold: true, color: C.white, size: 13.5 })
    d.box(x, 40, w, 278, C.pale)
  }
  // data
  col(0, 150, '数据资源', C.blue)
  ;['客户信息', '交易信息', '资产信息', '信用信息'].forEach((t, i) => {
    const b = d.box(12, 52 + i * 44, 126, 34, C.white, C.paleStroke)
    d.label(b, t, { size: 12.5 })
  })
  const ia = d.box(12, 238, 126, 68, C.sky)
  d.label(ia, '内外部数据结合\n形成信息资产', { size: 12, color: C.navy, bold: true })
  d.arrow(152, 179, 176, 179)
  // types
  col(178, 210, '应用类型', C.navy)
  let b = d.box(190, 52, 186, 34, C.blue)
  d.label(b, '监管应用', { bold: true, color: C.white, size: 13 })
  b = d.box(190, 86, 186, 62, C.white, C.paleStroke)
  d.label(b, '综合性监管分析报告，\n风险预警模型', { size: 11.5 })
  b = d.box(190, 162, 186, 34, C.blue)
  d.label(b, '机构运维服务应用', { bold: true, color: C.white, size: 13 })
  d.box(190, 196, 186, 110, C.white, C.paleStroke)
  ;['机构运营', '服务', '基础设施'].forEach((t, i) => {
    const c = d.box(202, 206 + i * 32, 162, 26, C.sky)
    d.label(c, t, { size: 12, color: C.navy })
  })
  d.arrow(390, 179, 414, 179)
  // value
  col(416, 224, '应用价值', C.accentDeep)
  ;[
    '精准营销',
    '提升运营效率',
    '提高欺诈管理水平',
    '增强信用风险管理能力',
    '为决策提供有效支持',
    '了解客户需求，开发新产品',
  ].forEach((t, i) => {
    const c = d.box(428, 52 + i * 43, 200, 34, C.white, C.accent)
    d.label(c, t, { size: 12, color: C.ink })
  })
  d.write()
}

/** 图8 新一代信息技术融合趋势 */
export function techConvergence(): void {
  const d = diagram(
    'tech-convergence',
    640,
    360,
    '概念图：大数据、云计算、人工智能、区块链（ABCD）与互联技术、安全技术彼此依赖、相互促进，形成融合生态，推动金融科技进入新阶段；技术叠加的应用包括 AI+大数据（智能投顾、智能风控、资产管理）、AI+云计算（信贷风险管理、监管科技、欺诈侦测）、区块链+大数据（数字货币、证券交易结算）、AI+大数据+安全技术（身份验证、数字支付、智能交易）。',
  )
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
    const h = d.box(x, 0, cw, 32, i < 4 ? C.navy : C.blue)
    d.label(h, t, { bold: true, color: C.white, size: 13 })
    const b = d.box(x, 32, cw, 72, C.pale)
    d.label(b, s, { size: 11, color: C.ink })
    d.arrow(x + cw / 2, 106, x + cw / 2, 126)
  })
  const band = d.box(0, 128, 640, 44, C.tealPale, C.teal)
  d.label(band, '相互依赖、相互促进，形成融合生态，推动金融科技发展进入新阶段', {
    bold: true,
    color: C.teal,
    size: 13.5,
  })
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
    const h = d.box(x, 208, kw, 32, C.accentDeep)
    d.label(h, t, { bold: true, color: C.white, size: 12.5 })
    d.box(x, 240, kw, 120, C.accentPale)
    apps.forEach((a, j) => {
      const c = d.box(x + 10, 250 + j * 36, kw - 20, 28, C.white, C.accentLine)
      d.label(c, a, { size: 12 })
    })
  })
  d.write()
}
