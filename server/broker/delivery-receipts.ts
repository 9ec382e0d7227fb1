/**
 * DeliveryReceipts: an auto-commit member's batches count as delivered only once the client has
 * received them, not once they were written to its socket. Batches written since the last proof
 * wait here; one confirmation at a time is asked of the transport (graphql-ws: a WebSocket ping
 * whose pong comes back after every frame sent before it), and when it arrives, everything sent
 * before it is handed on as delivered. A client that dies with batches still in its buffers never
 * answers, so those are never committed and its successor reads them again (at-least-once).
 *
 * Concurrency: single-threaded; at most one confirmation in flight; `close` drops what waits.
 */
export interface DeliveredOffset {
  topic: string;
  partition: number;
  /** The next offset after the last record handed out. */
  offset: number;
}

export class DeliveryReceipts {
  private waiting: DeliveredOffset[] = [];
  private confirming = false;
  private closed = false;

  constructor(
    /** Resolves once the client has received everything sent before the call; may never settle (dead client). */
    private readonly confirmReceipt: () => Promise<void>,
    private readonly onDelivered: (delivered: DeliveredOffset[]) => void,
  ) {}

  /** Batches just written to the client. */
  sent(delivered: DeliveredOffset[]): void {
    if (this.closed || delivered.length === 0) return;
    this.waiting.push(...delivered);
    this.confirmNext();
  }

  close(): void {
    this.closed = true;
    this.waiting = [];
  }

  private confirmNext(): void {
    if (this.confirming || this.closed || this.waiting.length === 0) return;
    const proving = this.waiting;
    this.waiting = [];
    this.confirming = true;
    this.confirmReceipt().then(
      () => {
        this.confirming = false;
        if (this.closed) return;
        this.onDelivered(proving);
        this.confirmNext();
      },
      () => {
        this.close(); // the transport is gone: nothing more will be proven
      },
    );
  }
}
