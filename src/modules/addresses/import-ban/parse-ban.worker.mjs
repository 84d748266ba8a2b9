// Worker entry for parseBanFileInWorker(): registers tsx in this thread (loader hooks are per
// thread), then runs the TypeScript worker body.
import { register } from "tsx/esm/api";

register();
await import("./parse-ban.worker.ts");
