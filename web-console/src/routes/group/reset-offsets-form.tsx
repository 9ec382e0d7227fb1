/**
 * Resetting a group's committed offsets for one topic, to the earliest or latest offset, a
 * timestamp, or an exact offset. Kafka only allows it on an Empty group (no live members would
 * overwrite the reset with their next commit), so the form says so and stays disabled otherwise.
 */
import { useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { resetOffsets, stateInWords, type CommittedOffset, type ConsumerGroup, type ResetTarget } from '../../api/groups';
import { Confirm } from '../../components/confirm';
import { ErrorBox } from '../../components/status';
import { formatCount, toLocalInput } from '../../lib/format';

export function ResetOffsetsForm({ group }: { group: ConsumerGroup }) {
  // Topics the group committed for or is assigned; any other topic can be typed in.
  const topics = [
    ...new Set([...group.offsets.map((o) => o.topic), ...group.members.flatMap((m) => m.assignment.map((a) => a.topic))]),
  ].sort();
  const [topic, setTopic] = useState(topics[0] ?? '');
  const [to, setTo] = useState<ResetTarget>('EARLIEST');
  const [offset, setOffset] = useState('0');
  const [timestamp, setTimestamp] = useState(toLocalInput(Date.now() - 3_600_000));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [done, setDone] = useState<CommittedOffset[] | null>(null);
  const empty = group.state === 'EMPTY';
  const chosenTopic = topic.trim();

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(
        await resetOffsets(
          group.id,
          chosenTopic,
          to,
          to === 'OFFSET' ? { offset: Number(offset) } : to === 'TIMESTAMP' ? { timestampMs: new Date(timestamp).getTime() } : {},
        ),
      );
    } catch (reason) {
      setError(toRequestError(reason));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const targetWords =
    to === 'OFFSET'
      ? `offset ${offset}`
      : to === 'TIMESTAMP'
        ? `the first record at or after ${timestamp.replace('T', ' ')}`
        : to === 'EARLIEST'
          ? 'the earliest offset (log start)'
          : 'the latest offset (high watermark)';

  return (
    <form
      class="form"
      aria-label="Reset offsets"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(null);
        setConfirming(true);
      }}
    >
      {!empty && (
        <p class="notice">
          Offsets can be reset only while the group is <b>Empty</b> (it is <b>{stateInWords(group.state)}</b>): stop its consumers first, or
          their next commit would undo the reset.
        </p>
      )}
      <div class="form-grid">
        <label class="field">
          <span>Topic</span>
          <input name="topic" list="reset-topics" value={topic} placeholder="topic name" onInput={(e) => setTopic(e.currentTarget.value)} />
          <datalist id="reset-topics">
            {topics.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label class="field">
          <span>Reset to</span>
          <select name="to" value={to} onChange={(e) => setTo(e.currentTarget.value as ResetTarget)}>
            <option value="EARLIEST">earliest</option>
            <option value="LATEST">latest</option>
            <option value="TIMESTAMP">timestamp</option>
            <option value="OFFSET">offset</option>
          </select>
        </label>
        {to === 'OFFSET' && (
          <label class="field">
            <span>Offset</span>
            <input name="offset" type="number" min="0" value={offset} onInput={(e) => setOffset(e.currentTarget.value)} />
          </label>
        )}
        {to === 'TIMESTAMP' && (
          <label class="field">
            <span>Time</span>
            <input name="timestamp" type="datetime-local" step="1" value={timestamp} onInput={(e) => setTimestamp(e.currentTarget.value)} />
          </label>
        )}
      </div>
      {error && <ErrorBox compact error={error} />}
      {done && (
        <p class="ok-text" data-testid="reset-done">
          Reset {done.length} partition{done.length === 1 ? '' : 's'}:{' '}
          {done.map((o) => `${o.partition} → ${formatCount(o.offset)}`).join(', ')}.
        </p>
      )}
      <div class="row end">
        <button type="submit" class="btn danger" disabled={!empty || !chosenTopic || busy}>
          Reset offsets
        </button>
      </div>
      {confirming && (
        <Confirm
          title={`Reset ${group.id} on ${chosenTopic}?`}
          confirmLabel={busy ? 'Resetting…' : 'Reset offsets'}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void run()}
        >
          <p>
            Every partition of <code>{chosenTopic}</code> gets the committed offset of {targetWords}. Consumers of this group will start
            there.
          </p>
        </Confirm>
      )}
    </form>
  );
}
