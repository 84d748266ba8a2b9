// Worker entry for startRecordParsing(): registers tsx in this thread (loader hooks are per
// thread), then runs the TypeScript worker body.
import { register } from "tsx/esm/api";

register();
await import("./parse-records.worker.ts");
