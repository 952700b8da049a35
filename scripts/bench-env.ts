// Imported first by scripts/bench.ts: real-engine benchmarks get their own cluster (state dir and ports 18xxx), so
// they never collide with `npm run local:up`'s dev stack or the e2e suite.
import { claimClusterSlot } from "../e2e/harness/clusterSlot";

claimClusterSlot("platform-e2e-bench", 18);
// The benchmarks time the engine against the apiserver, on kwok nodes as before: no real node unless asked for.
process.env.PLATFORM_E2E_REAL_NODE = process.env.PLATFORM_E2E_REAL_NODE ?? "0";
