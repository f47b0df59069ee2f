// viewer/core/classifier-loader.js, the one classifier loader of the viewer: one fetch and one classifier per URL
// however many callers ask, a failed load (the fetch, or a blob that does not unpack) forgotten so the next call
// tries again, never a rejected promise kept. The fetch is a stub that counts and fails on demand.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { classifierLoad, loadClassifier, loadedClassifier } from "../../viewer/core/classifier-loader.js";

/** A classifier blob as explorer/assets.py classifier_blob lays it out, at the smallest shape makeClassifier takes. */
function tinyBlob() {
  const [c1, c2, hidden] = [4, 4, 1];
  const count = 3 + c1 * 9 + c1 + c2 * c1 * 9 + c2 + hidden * c2 * 49 + hidden + 10 * hidden + 10;
  const floats = new Float32Array(count);
  floats.set([c1, c2, hidden]);
  for (let i = 3; i < count; i++) floats[i] = ((i * 7) % 13) / 13 - 0.5;
  return floats.buffer;
}

/** Answers fetch(url) from `plan` (a list per URL of "ok", "bad" (a blob that does not unpack) or "fail"). */
function stubFetch(/** @type {Record<string, string[]>} */ plan) {
  /** @type {string[]} */
  const asked = [];
  globalThis.fetch = /** @type {any} */ (
    async (/** @type {string} */ url) => {
      asked.push(url);
      const next = plan[url]?.shift() || "fail";
      if (next === "fail") return { ok: false, status: 503, arrayBuffer: async () => new ArrayBuffer(0) };
      const body = next === "ok" ? tinyBlob() : new Float32Array([4, 4, 1, 0]).buffer;
      return { ok: true, status: 200, arrayBuffer: async () => body };
    }
  );
  return asked;
}

test("one fetch and one classifier per URL, however many callers ask", async () => {
  const asked = stubFetch({ "/one": ["ok", "ok"], "/two": ["ok"] });
  const first = loadClassifier("/one");
  assert.equal(loadClassifier("/one"), first);
  const [a, b] = await Promise.all([first, loadClassifier("/one")]);
  assert.equal(a, b);
  assert.equal(a.hidden, 1);
  assert.equal(loadedClassifier("/one"), a);
  assert.equal((await loadClassifier("/two")) === a, false); // another URL, another cache entry
  assert.deepEqual(asked, ["/one", "/two"]);
});

test("a failed fetch is forgotten: the next call fetches again and succeeds", async () => {
  const asked = stubFetch({ "/flaky": ["fail", "ok"] });
  await assert.rejects(loadClassifier("/flaky"), /HTTP 503/);
  const classifier = await loadClassifier("/flaky");
  assert.equal(classifier.c1, 4);
  assert.equal(await loadClassifier("/flaky"), classifier);
  assert.deepEqual(asked, ["/flaky", "/flaky"]);
});

test("a blob that does not unpack is forgotten too", async () => {
  const asked = stubFetch({ "/bad": ["bad", "ok"] });
  await assert.rejects(loadClassifier("/bad"), /classifier blob/);
  assert.equal((await loadClassifier("/bad")).c2, 4);
  assert.deepEqual(asked, ["/bad", "/bad"]);
});

test("loadedClassifier is null until the load is in, and hands its promise to wait on", async () => {
  stubFetch({ "/later": ["ok"], "/never": ["fail", "fail"] });
  /** @type {Promise<unknown>[]} */
  const waits = [];
  assert.equal(loadedClassifier("/later", waits), null);
  assert.equal(waits.length, 1);
  await waits[0];
  const now = loadedClassifier("/later", waits);
  assert.ok(now && now === classifierLoad("/later").value);
  assert.equal(waits.length, 1); // nothing more to wait for
  const failing = [];
  assert.equal(loadedClassifier("/never", failing), null);
  await assert.rejects(/** @type {Promise<unknown>} */ (failing[0]));
  assert.notEqual(classifierLoad("/never").promise, failing[0]); // asked again, not the rejected promise
  await assert.rejects(classifierLoad("/never").promise);
});

test("the viewer's three classifier users load it through this module, none on its own", () => {
  for (const file of ["viewer/hosts/static-compute.js", "viewer/explore/multirate.js", "viewer/lesson/models.js"]) {
    const source = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
    assert.match(source, /from "\.\.\/core\/classifier-loader\.js"/, file);
    assert.doesNotMatch(source, /makeClassifier/, file);
  }
});
