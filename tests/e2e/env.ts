// Loaded first by tests/e2e/.mocharc.json: the e2e suite gets its own cluster (state dir and ports 17xxx), so it
// never touches the cluster or the dev stack of `npm run local:up`.
import { useClusterSlot } from "../../e2e/harness/clusterSlot";

useClusterSlot("platform-e2e-test", 17);
