/**
 * One record opened: its value as stored (the UTF-8 text, JSON included, byte for byte), pretty
 * JSON on request, or hex (the operator picks), and its headers.
 */
import { useState } from 'preact/hooks';
import type { LogRecord } from '../../api/records';
import { base64ToBytes, decodeText, hexDump } from '../../components/bytes';
import { formatBytes, formatTimestamp } from '../../lib/format';
import { viewOf } from './record-view';

type Mode = 'text' | 'json' | 'hex';

export function RecordDetail({ record }: { record: LogRecord }) {
  const view = viewOf(record);
  const natural: Mode = view.value.kind === 'binary' ? 'hex' : 'text';
  const [mode, setMode] = useState<Mode>(natural);
  const bytes = view.value.bytes;
  let body: string;
  if (view.value.kind === 'null') body = 'null (tombstone: no value)';
  else if (mode === 'hex' || view.value.text === null) body = hexDump(bytes!);
  else if (mode === 'json' && view.value.kind === 'json') body = JSON.stringify(view.value.json, null, 2);
  else body = view.value.text;

  return (
    <div class="record-detail" data-testid="record-detail">
      <div class="row">
        <span class="muted">
          partition {record.partition} · offset {record.offset} · {formatTimestamp(record.timestampMs)} · {formatBytes(record.sizeBytes)}
        </span>
        <span class="spacer" />
        <div class="segmented" role="group" aria-label="Show value as">
          {(['text', 'json', 'hex'] as const).map((m) => (
            <button
              key={m}
              type="button"
              class={mode === m ? 'on' : ''}
              disabled={(m === 'json' && view.value.kind !== 'json') || (m !== 'hex' && view.value.kind === 'binary')}
              onClick={() => setMode(m)}
            >
              {m === 'json' ? 'Pretty JSON' : m === 'hex' ? 'Hex' : 'As stored'}
            </button>
          ))}
        </div>
      </div>
      <div class="detail-grid">
        <div>
          <div class="label">Key</div>
          <pre class="value">{record.keyBase64 === null ? 'null' : (view.key ?? hexDump(base64ToBytes(record.keyBase64)))}</pre>
          <div class="label">Headers</div>
          {record.headers.length === 0 ? (
            <div class="muted">none</div>
          ) : (
            <table class="table compact">
              <tbody>
                {record.headers.map((header, index) => {
                  const text = decodeText(header.valueBase64);
                  return (
                    <tr key={index}>
                      <td>
                        <code>{header.key}</code>
                      </td>
                      <td>
                        <code>{header.valueBase64 === null ? 'null' : (text ?? hexDump(base64ToBytes(header.valueBase64), 64))}</code>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <div class="label">Value</div>
          <pre class="value big" data-testid="record-value">
            {body}
          </pre>
        </div>
      </div>
    </div>
  );
}
