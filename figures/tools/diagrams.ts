// The book's concept diagrams (图1, 图2, 图6–图13): writes figures/<name>.vl.json and figures/data/<name>.json.
// Run `npm run diagrams` after changing a diagram's wording (concepts.ts, scenarios.ts); the data files it writes may
// also be edited by hand. The layout (boxes, wrapped labels, arrows, chips, the Vega-Lite spec) is tools/diagrams/.
import { applicationDomains, fintechScope, industryChain, techConvergence, typesValue } from './concepts.ts'
import { biometrics, consumerFinance, credit, digitalPayment, riskControl } from './scenarios.ts'

for (const draw of [fintechScope, industryChain, applicationDomains, typesValue, techConvergence]) draw()
for (const draw of [credit, consumerFinance, digitalPayment, biometrics, riskControl]) draw()
