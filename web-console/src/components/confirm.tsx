/**
 * A confirmation dialog for destructive actions. With `typeToConfirm`, the button stays disabled
 * until the operator types that text (the topic name before deleting it).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export interface ConfirmProps {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  typeToConfirm?: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function Confirm({ title, children, confirmLabel, typeToConfirm, busy, onConfirm, onCancel }: ConfirmProps) {
  const [typed, setTyped] = useState('');
  const ready = !busy && (typeToConfirm === undefined || typed === typeToConfirm);
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && onCancel()}>
      <div class="modal" role="dialog" aria-modal="true" aria-label={title}>
        <h2>{title}</h2>
        {children}
        {typeToConfirm !== undefined && (
          <label class="field">
            <span>
              Type <code>{typeToConfirm}</code> to confirm
            </span>
            <input autoFocus value={typed} onInput={(e) => setTyped(e.currentTarget.value)} aria-label="Confirmation text" />
          </label>
        )}
        <div class="row end">
          <button type="button" class="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" class="btn danger" disabled={!ready} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
