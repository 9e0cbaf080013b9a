export { MetricsPanel } from './MetricsPanel';
export { Waterfall, turnSegments } from './Waterfall';
