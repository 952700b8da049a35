// Loaded first by tests/e2e/.mocharc.json: the e2e suite gets its own cluster (state dir and ports 17xxx), so it
// never touches the cluster or the dev stack of `npm run local:up`; and it claims that slot, so a second suite
// started meanwhile takes the next free slot (27xxx, …) instead of tearing this one's cluster down.
import { claimClusterSlot } from "../../e2e/harness/clusterSlot";

claimClusterSlot("platform-e2e-test", 17);
