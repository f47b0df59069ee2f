// viewer/core/protocol.js: serials, the pending queue and its cap, acknowledgements (widgets/component.py
// take_events is the server's half; tests/test_contract.py runs the two together).

import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_PENDING } from "../../viewer/core/constants.js";
import { Channel } from "../../viewer/core/protocol.js";

// Serials are kept per widget name for the page's life (module scope): each test uses names of its own.
let names = 0;
const fresh = () => `widget-${++names}`;
/** @param {Channel} channel @param {number} count */
const emitMany = (channel, count) => Array.from({ length: count }, (_, i) => channel.emit({ type: "pick", index: i }));
/** @param {{serial: number}[]} events */
const serials = (events) => events.map((event) => event.serial);

test("each event gets the next serial; its message carries it and every pending event, oldest first", () => {
  const channel = new Channel(fresh(), MAX_PENDING);
  const first = channel.emit({ type: "pick", index: 7 });
  assert.deepEqual(first, { type: "pick", index: 7, serial: 1, pending: [{ type: "pick", index: 7, serial: 1 }] });
  const second = channel.emit({ type: "drag", x: 0.5 });
  assert.equal(second.serial, 2);
  assert.deepEqual(serials(second.pending), [1, 2]);
  assert.equal(channel.sent, 2);
});

test("the message is a copy: later events do not change a message already handed to the host", () => {
  const channel = new Channel(fresh(), MAX_PENDING);
  const message = channel.emit({ type: "pick" });
  emitMany(channel, 3);
  channel.receive(4);
  assert.deepEqual(serials(message.pending), [1]);
});

test("serials keep increasing across two channels of the same name (a remounted widget)", () => {
  const name = fresh();
  const before = new Channel(name, MAX_PENDING);
  emitMany(before, 3);
  const after = new Channel(name, MAX_PENDING);
  assert.equal(after.emit({ type: "pick" }).serial, 4);
  assert.equal(before.emit({ type: "pick" }).serial, 5, "both count on one sequence");
  assert.equal(new Channel(fresh(), MAX_PENDING).emit({ type: "pick" }).serial, 1, "another widget counts alone");
});

test("a remounted widget also counts past the host's acknowledgement", () => {
  const channel = new Channel(fresh(), MAX_PENDING);
  channel.receive(41); // the host has handled 41 events of this widget (from an earlier page of the session)
  assert.equal(channel.emit({ type: "pick" }).serial, 42);
});

test(`the queue keeps the newest MAX_PENDING (${MAX_PENDING}) events`, () => {
  assert.ok(Number.isInteger(MAX_PENDING) && MAX_PENDING > 1);
  const channel = new Channel(fresh(), MAX_PENDING);
  const messages = emitMany(channel, MAX_PENDING + 5);
  const last = messages[messages.length - 1];
  assert.equal(last.pending.length, MAX_PENDING);
  assert.deepEqual(
    serials(last.pending),
    Array.from({ length: MAX_PENDING }, (_, i) => i + 6),
  );
  assert.equal(messages[MAX_PENDING - 1].pending.length, MAX_PENDING, "full, not yet cut");
  assert.equal(channel.queue.length, MAX_PENDING);
  assert.equal(new Channel(fresh(), 3).emit({ type: "pick" }).pending.length, 1, "the cap is the channel's own");
});

test("an acknowledgement drops the events it covers; receive says whether any are left", () => {
  const channel = new Channel(fresh(), MAX_PENDING);
  emitMany(channel, 5);
  assert.equal(channel.receive(3), false);
  assert.deepEqual(serials(channel.queue), [4, 5]);
  assert.deepEqual(serials(channel.emit({ type: "pick" }).pending), [4, 5, 6]);
  assert.equal(channel.receive(3), false, "the same acknowledgement again changes nothing");
  assert.deepEqual(serials(channel.queue), [4, 5, 6]);
  assert.equal(channel.receive(6), true);
  assert.deepEqual(channel.queue, []);
  assert.equal(new Channel(fresh(), MAX_PENDING).receive(0), true, "nothing sent: the host's view holds");
});

test("an acknowledgement that goes backwards (a new host session) empties the queue", () => {
  const channel = new Channel(fresh(), MAX_PENDING);
  emitMany(channel, 5);
  channel.receive(2);
  assert.equal(channel.receive(1), true, "events 3-5 belong to a session that is gone");
  assert.deepEqual(channel.queue, []);
  const next = channel.emit({ type: "pick" });
  assert.equal(next.serial, 6, "serials never go back: the new session has handled only up to 1");
  assert.deepEqual(serials(next.pending), [6]);
  assert.equal(channel.receive(0), true, "backwards again, to a session that has handled nothing");
  assert.deepEqual(channel.queue, []);
});
