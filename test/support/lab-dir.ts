import * as path from "node:path";
import { repoRoot } from "./process";

/** The running lab's directory (lab/hosts/common.sh LAB_DIR): kubeconfig, SSH key, hosts' disks. */
export const labDir = process.env.LAB_DIR ?? path.join(repoRoot, ".lab");
