/**
 * Access: the node's API keys (create — the secret is shown once —, revoke) and ACL bindings
 * (add, delete). Needs DESCRIBE on the cluster to list and ALTER to change; without them the
 * node answers CLUSTER_AUTHORIZATION_FAILED, shown in words.
 */
import { useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { deleteAcl, fetchAcls, fetchApiKeys, revokeApiKey, type Acl } from '../../api/security';
import { PageHeader } from '../../components/layout';
import { Empty, ErrorBox, Loading } from '../../components/status';
import { useAsync } from '../../lib/use-async';
import { AddAclForm, CreateKeyForm } from './access-forms';

export function AccessPage() {
  const keys = useAsync((signal) => fetchApiKeys(signal), []);
  const acls = useAsync((signal) => fetchAcls(signal), []);
  const [actionError, setActionError] = useState<GraphQLRequestError | null>(null);
  const act = async (work: () => Promise<unknown>, after: () => void) => {
    setActionError(null);
    try {
      await work();
      after();
    } catch (error) {
      setActionError(toRequestError(error));
    }
  };

  return (
    <>
      <PageHeader title="Access" />
      {actionError && <ErrorBox compact error={actionError} />}
      <section class="card" aria-label="API keys">
        <h2>API keys</h2>
        <CreateKeyForm onCreated={keys.reload} />
        {keys.error && <ErrorBox compact error={keys.error} onRetry={keys.reload} />}
        {!keys.data ? (
          !keys.error && <Loading what="Loading API keys" />
        ) : keys.data.length === 0 ? (
          <Empty title="No API keys." />
        ) : (
          <table class="table" data-testid="api-keys">
            <thead>
              <tr>
                <th>Id</th>
                <th>Principal</th>
                <th>Description</th>
                <th>Created</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id} data-key={key.id}>
                  <td>
                    <code>{key.id}</code>
                  </td>
                  <td>{key.principal}</td>
                  <td>{key.description ?? ''}</td>
                  <td>{new Date(String(key.createdAt)).toLocaleString()}</td>
                  <td>{key.lastUsedAt ? new Date(String(key.lastUsedAt)).toLocaleString() : 'never'}</td>
                  <td class="num">
                    <button type="button" class="btn small danger" onClick={() => act(() => revokeApiKey(key.id), keys.reload)}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-label="ACLs">
        <h2>ACLs</h2>
        <AddAclForm onAdded={acls.reload} />
        {acls.error && <ErrorBox compact error={acls.error} onRetry={acls.reload} />}
        {!acls.data ? (
          !acls.error && <Loading what="Loading ACLs" />
        ) : acls.data.length === 0 ? (
          <Empty title="No ACLs: only super users can do anything." />
        ) : (
          <table class="table" data-testid="acls">
            <thead>
              <tr>
                <th>Principal</th>
                <th>Permission</th>
                <th>Operation</th>
                <th>Resource</th>
                <th>Pattern</th>
                <th>Name</th>
                <th>Host</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {acls.data.map((acl) => (
                <tr key={aclKey(acl)} data-acl={aclKey(acl)}>
                  <td>{acl.principal}</td>
                  <td>{acl.permission}</td>
                  <td>{acl.operation}</td>
                  <td>{acl.resourceType}</td>
                  <td>{acl.patternType}</td>
                  <td>
                    <code>{acl.resourceName}</code>
                  </td>
                  <td>{acl.host}</td>
                  <td class="num">
                    <button type="button" class="btn small danger" onClick={() => act(() => deleteAcl(acl), acls.reload)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function aclKey(acl: Acl): string {
  return [acl.principal, acl.permission, acl.operation, acl.resourceType, acl.patternType, acl.resourceName, acl.host].join(' ');
}
