/** Editable key = value rows for topic configs (create form), with the usual keys suggested and durations/sizes in words. */
import { configInUnits } from '../lib/config-units';

export interface ConfigRow {
  key: string;
  value: string;
}

export const COMMON_CONFIG_KEYS = [
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'segment.ms',
  'max.message.bytes',
  'min.insync.replicas',
  'delete.retention.ms',
  'message.timestamp.type',
  'flush.messages',
  'flush.ms',
];

export function ConfigRows({ rows, onChange }: { rows: ConfigRow[]; onChange(rows: ConfigRow[]): void }) {
  const set = (index: number, patch: Partial<ConfigRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div class="config-rows">
      <datalist id="config-keys">
        {COMMON_CONFIG_KEYS.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
      {rows.map((row, index) => (
        <div class="row" key={index}>
          <input
            list="config-keys"
            placeholder="config key"
            value={row.key}
            aria-label={`Config key ${index + 1}`}
            onInput={(e) => set(index, { key: e.currentTarget.value })}
          />
          <input
            placeholder="value"
            value={row.value}
            aria-label={`Config value ${index + 1}`}
            onInput={(e) => set(index, { value: e.currentTarget.value })}
          />
          {configInUnits(row.key, row.value) && <span class="muted small">{configInUnits(row.key, row.value)}</span>}
          <button
            type="button"
            class="btn small ghost"
            aria-label="Remove config"
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button type="button" class="btn small" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        + Add config
      </button>
    </div>
  );
}
