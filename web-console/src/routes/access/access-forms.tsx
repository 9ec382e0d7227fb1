/** The Access page's two forms: a new API key (its secret shown once) and a new ACL binding. */
import { useState } from 'preact/hooks';
import type { AclOperation, AclPatternType, AclPermission, AclResourceType } from '../../api/generated/operations';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { createAcl, createApiKey, type CreatedKey } from '../../api/security';
import { ErrorBox } from '../../components/status';

const RESOURCE_TYPES: AclResourceType[] = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID'];
const OPERATIONS: AclOperation[] = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
];

export function CreateKeyForm({ onCreated }: { onCreated(): void }) {
  const [principal, setPrincipal] = useState('User:');
  const [description, setDescription] = useState('');
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      setCreated(await createApiKey(principal.trim(), description.trim() || null));
      onCreated();
    } catch (failure) {
      setError(toRequestError(failure));
    }
  };
  return (
    <form class="form" onSubmit={submit} aria-label="Create API key">
      <div class="form-grid">
        <label class="field">
          <span>Principal</span>
          <input name="principal" required value={principal} onInput={(e) => setPrincipal(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Description</span>
          <input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
      </div>
      <div class="row end">
        <button type="submit" class="btn primary">
          Create key
        </button>
      </div>
      {error && <ErrorBox compact error={error} />}
      {created && (
        <div class="state" role="status" data-testid="new-secret">
          <strong>
            Key {created.id} for {created.principal}: copy the secret now, it is not shown again.
          </strong>
          <code class="secret">{created.secret}</code>
        </div>
      )}
    </form>
  );
}

export function AddAclForm({ onAdded }: { onAdded(): void }) {
  const [principal, setPrincipal] = useState('User:');
  const [resourceType, setResourceType] = useState<AclResourceType>('TOPIC');
  const [resourceName, setResourceName] = useState('');
  const [patternType, setPatternType] = useState<AclPatternType>('LITERAL');
  const [operation, setOperation] = useState<AclOperation>('READ');
  const [permission, setPermission] = useState<AclPermission>('ALLOW');
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await createAcl({
        principal: principal.trim(),
        resourceType,
        resourceName: resourceType === 'CLUSTER' ? 'kafka-cluster' : resourceName,
        patternType,
        operation,
        permission,
        host: '*',
      });
      onAdded();
    } catch (failure) {
      setError(toRequestError(failure));
    }
  };
  return (
    <form class="form" onSubmit={submit} aria-label="Add ACL">
      <div class="form-grid">
        <label class="field">
          <span>Principal</span>
          <input name="aclPrincipal" required value={principal} onInput={(e) => setPrincipal(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Resource type</span>
          <select name="resourceType" value={resourceType} onChange={(e) => setResourceType(e.currentTarget.value as AclResourceType)}>
            {RESOURCE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Resource name</span>
          <input
            name="resourceName"
            required={resourceType !== 'CLUSTER'}
            disabled={resourceType === 'CLUSTER'}
            placeholder={resourceType === 'CLUSTER' ? 'kafka-cluster' : 'orders, or * for every name'}
            value={resourceName}
            onInput={(e) => setResourceName(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Pattern</span>
          <select name="patternType" value={patternType} onChange={(e) => setPatternType(e.currentTarget.value as AclPatternType)}>
            <option value="LITERAL">LITERAL</option>
            <option value="PREFIXED">PREFIXED</option>
          </select>
        </label>
        <label class="field">
          <span>Operation</span>
          <select name="operation" value={operation} onChange={(e) => setOperation(e.currentTarget.value as AclOperation)}>
            {OPERATIONS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Permission</span>
          <select name="permission" value={permission} onChange={(e) => setPermission(e.currentTarget.value as AclPermission)}>
            <option value="ALLOW">ALLOW</option>
            <option value="DENY">DENY</option>
          </select>
        </label>
      </div>
      <div class="row end">
        <button type="submit" class="btn primary">
          Add ACL
        </button>
      </div>
      {error && <ErrorBox compact error={error} />}
    </form>
  );
}
