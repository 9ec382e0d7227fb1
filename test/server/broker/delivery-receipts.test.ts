import { DeliveryReceipts, type DeliveredOffset } from '../../../server/broker/delivery-receipts';

/** A transport whose confirmations the test settles by hand, in order. */
function manualTransport() {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  return {
    confirm: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
    pending,
  };
}

const at = (partition: number, offset: number): DeliveredOffset => ({ topic: 't', partition, offset });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('broker > delivery receipts', () => {
  test('hands batches on only once a confirmation asked after them came back, one confirmation at a time', async () => {
    const transport = manualTransport();
    const delivered: DeliveredOffset[][] = [];
    const receipts = new DeliveryReceipts(transport.confirm, (batch) => delivered.push(batch));
    receipts.sent([at(0, 10)]);
    receipts.sent([at(1, 5)]); // while the first confirmation is out: waits for the next one
    expect(transport.pending).toHaveLength(1);
    expect(delivered).toEqual([]);
    transport.pending[0]!.resolve();
    await settle();
    expect(delivered).toEqual([[at(0, 10)]]);
    expect(transport.pending).toHaveLength(2); // the next confirmation covers what was sent meanwhile
    transport.pending[1]!.resolve();
    await settle();
    expect(delivered).toEqual([[at(0, 10)], [at(1, 5)]]);
  });

  test('after close, or once the transport fails, nothing more counts as delivered', async () => {
    const transport = manualTransport();
    const delivered: DeliveredOffset[][] = [];
    const receipts = new DeliveryReceipts(transport.confirm, (batch) => delivered.push(batch));
    receipts.sent([at(0, 1)]);
    receipts.close();
    transport.pending[0]!.resolve();
    await settle();
    receipts.sent([at(0, 2)]);
    expect(delivered).toEqual([]);
    expect(transport.pending).toHaveLength(1);

    const failing = manualTransport();
    const afterFailure = new DeliveryReceipts(failing.confirm, (batch) => delivered.push(batch));
    afterFailure.sent([at(0, 3)]);
    failing.pending[0]!.reject(new Error('socket closed'));
    await settle();
    afterFailure.sent([at(0, 4)]);
    expect(failing.pending).toHaveLength(1);
    expect(delivered).toEqual([]);
  });
});
