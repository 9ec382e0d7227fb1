/**
 * Cuts a TCP byte stream into frame bodies (docs/CLUSTER-PROTOCOL.md "Frames": an int32 length,
 * then that many bytes). A bad announced length throws MalformedFrameError as soon as the 4 bytes
 * arrived, before any of the body is buffered, so a peer cannot make us hold 2 GiB.
 */
import { frameBodyLength } from './codec';

export class FrameSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes the frame at the head needs in all (prefix included), once its length is known. */
  private needed = 4;

  /** Feeds bytes in; returns the complete frame bodies they finished, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const bodies: Buffer[] = [];
    // Concatenating only once the head frame is complete keeps a large frame's chunks uncopied until then.
    if (this.pendingBytes < this.needed) return bodies;
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    let position = 0;
    while (buf.length - position >= 4) {
      const length = frameBodyLength(buf, position);
      if (buf.length - position - 4 < length) break;
      bodies.push(buf.subarray(position + 4, position + 4 + length));
      position += 4 + length;
    }
    buf = buf.subarray(position);
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingBytes = buf.length;
    this.needed = buf.length >= 4 ? 4 + frameBodyLength(buf, 0) : 4;
    return bodies;
  }

  /** Bytes of an unfinished frame held (tests). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}
