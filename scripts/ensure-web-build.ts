// `npm start` runs this before serving: builds the web front end only when it is missing or stale.
import { ensureWebBuild } from "./web-build.ts";

await ensureWebBuild();
