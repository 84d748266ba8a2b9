#!/usr/bin/env node
// Package bin: runs the TypeScript CLI through tsx, so no build step stands between a clone and use.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
