// Runs the viewer's exports on JSON from Python, for tests/test_contract.py (the Python <-> JS agreement
// tests): one request per line on stdin, one answer per line on stdout, so one node process serves a
// whole test module.
//
//   {"module": "viewer/core/paths.js", "call": "pathCodes", "args": [...]}    -> {"value": ...}
//   {"module": "viewer/core/constants.js", "get": "MAX_PENDING"}             -> {"value": 64}
//   {"module": "viewer/core/protocol.js", "new": "Channel", "args": [...], "as": "map"}  -> {"value": null}
//   {"on": "map", "call": "emit", "args": [...]}                              -> {"value": ...}
//   {"batch": [request, ...]}                                                 -> {"value": [value, ...]}
//   a request that throws                                                     -> {"error": "..."}
// Module paths are relative to the repository's root. Typed arrays come back as plain arrays; NaN and the
// infinities as null (JSON has neither).

import { createInterface } from "node:readline";

const ROOT = new URL("../../", import.meta.url);
/** @type {Map<string, any>} objects made by "new", by the name the request gave them */
const objects = new Map();

/** @param {any} request @returns {Promise<unknown>} */
async function answer(request) {
  if (request.batch) {
    const values = [];
    for (const item of request.batch) values.push(await answer(item));
    return values;
  }
  if (request.on !== undefined) {
    const target = objects.get(request.on);
    if (!target) throw new Error(`no object named ${request.on}`);
    return target[request.call](...(request.args || []));
  }
  const module = await import(new URL(request.module, ROOT).href);
  if (request.get !== undefined) {
    if (!(request.get in module)) throw new Error(`${request.module} exports no ${request.get}`);
    return module[request.get];
  }
  if (request.new !== undefined) {
    objects.set(request.as, new module[request.new](...(request.args || [])));
    return null;
  }
  if (typeof module[request.call] !== "function") throw new Error(`${request.module} exports no ${request.call}()`);
  return module[request.call](...(request.args || []));
}

/** @param {string} _key @param {unknown} value */
function plain(_key, value) {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(/** @type {any} */ (value)) : value;
}

for await (const line of createInterface({ input: process.stdin })) {
  let reply;
  try {
    reply = { value: await answer(JSON.parse(line)) };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(`${JSON.stringify(reply, plain)}\n`);
}
