/** A headline figure with its label, for the overview and the topic page. */
import type { ComponentChildren } from 'preact';

export function Stat({
  label,
  value,
  hint,
  tone,
  testId,
}: {
  label: string;
  value: ComponentChildren;
  hint?: ComponentChildren;
  tone?: 'warn' | 'ok';
  testId?: string;
}) {
  return (
    <div class={`stat${tone ? ` ${tone}` : ''}`} data-testid={testId}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {hint && <div class="stat-hint">{hint}</div>}
    </div>
  );
}
