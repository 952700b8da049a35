// The reference detectors the pack is compared with (one file per baseline, each naming where its rules come from).
import type { Baseline } from "./common";
import { gitleaks } from "./gitleaks";
import { kubescape } from "./kubescape";
import { polaris } from "./polaris";

export type { Baseline } from "./common";
export const BASELINES: readonly Baseline[] = [kubescape, polaris, gitleaks];
