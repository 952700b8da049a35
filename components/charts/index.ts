// Helm charts: mirrored coordinates, chart children's labels, operator installs, the extra charts a stack lists.
export { applyChartMirror, chartLocation, chartVersionLabel, mirroredChart } from "./charts";
export { chartChildrenTransform } from "./chartChildren";
export type { ChartChildPolicy, RenderedObject } from "./chartChildren";
export { installStoreOperator, operatorLabels } from "./operatorInstall";
export { ExtraChart } from "./extraChart";
export type { ExtraChartArgs } from "./extraChart";
