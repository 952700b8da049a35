// Imported first by scripts/bench.ts: real-engine benchmarks get their own cluster (state dir and ports 18xxx), so
// they never collide with `npm run local:up`'s dev stack or the e2e suite.
import { useClusterSlot } from "../e2e/harness/clusterSlot";

useClusterSlot("platform-e2e-bench", 18);
