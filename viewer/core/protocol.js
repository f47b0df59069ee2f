// The one event protocol between a widget and its host (widgets/component.py is the Streamlit side).
//
// Every event gets the next serial of its widget and waits in a queue until the host acknowledges it.
// Each message carries, beside the new event, every event not yet acknowledged (at most `maxPending`, the
// newest), so a host that coalesces two messages still sees both. Until the queue is empty the widget's
// own view wins over what the host last sent. An acknowledgement that goes backwards comes from a new
// host session (a restarted server, an expired session): it rebuilt the view from the link and will never
// see the queued events, so they are dropped.

/** @typedef {{serial: number, type: string} & Record<string, unknown>} QueuedEvent */
/** @typedef {QueuedEvent & {pending: QueuedEvent[]}} Message */

/** Widget name -> the last serial sent, kept for the page's life so a remounted widget keeps counting. */
const lastSerial = new Map();

export class Channel {
  /** @param {string} name the widget's name (its Streamlit key) @param {number} maxPending */
  constructor(name, maxPending) {
    this.name = name;
    this.maxPending = maxPending;
    /** @type {QueuedEvent[]} */
    this.queue = [];
    this.acknowledged = 0;
    this.sent = 0; // messages sent from this page, for tests and benchmarks
  }

  /**
   * Numbers `event`, queues it and returns the message to hand the host.
   * @param {{type: string} & Record<string, unknown>} event
   * @returns {Message}
   */
  emit(event) {
    const serial = Math.max(lastSerial.get(this.name) || 0, this.acknowledged) + 1;
    lastSerial.set(this.name, serial);
    const entry = /** @type {QueuedEvent} */ ({ ...event, serial });
    this.queue.push(entry);
    if (this.queue.length > this.maxPending) this.queue.splice(0, this.queue.length - this.maxPending);
    this.sent += 1;
    return { ...entry, pending: this.queue.slice() };
  }

  /**
   * Takes the host's acknowledgement (the serial of the last event it handled); true when nothing the
   * host has not seen is left, so its view can be adopted.
   * @param {number} ack
   */
  receive(ack) {
    if (!Number.isFinite(ack)) ack = 0; // a host that sends none has handled none
    if (ack < this.acknowledged) this.queue = [];
    this.acknowledged = ack;
    this.queue = this.queue.filter((event) => event.serial > ack);
    lastSerial.set(this.name, Math.max(lastSerial.get(this.name) || 0, ack));
    return this.queue.length === 0;
  }
}
