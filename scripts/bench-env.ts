// Imported first by scripts/bench.ts: real-engine benchmarks get their own cluster (state dir and ports 18xxx), so
// they never collide with `npm run local:up`'s dev stack or the e2e suite.
import { claimClusterSlot } from "../e2e/harness/clusterSlot";

claimClusterSlot("platform-e2e-bench", 18);
