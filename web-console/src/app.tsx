/** Picks the view for the URL. Paths are relative to /console. */
import { Fragment } from 'preact';
import { Layout } from './components/layout';
import { Empty } from './components/status';
import { Link } from './components/link';
import { LoginForm, useSession } from './components/login';
import { href, useLocation } from './lib/router';
import { GroupPage } from './routes/group/group-page';
import { GroupsPage } from './routes/groups/groups-page';
import { MessagesPage } from './routes/messages/messages-page';
import { OverviewPage } from './routes/overview/overview-page';
import { TopicPage } from './routes/topic/topic-page';
import { TopicsPage } from './routes/topics/topics-page';
import { AccessPage } from './routes/access/access-page';
import { QuotasPage } from './routes/quotas/quotas-page';

function route(path: string, query: URLSearchParams) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return <OverviewPage />;
  if (parts[0] === 'topics') {
    if (parts.length === 1) return <TopicsPage query={query} />;
    if (parts.length === 2) return <TopicPage key={parts[1]} name={parts[1]!} />;
    if (parts.length === 3 && parts[2] === 'messages') return <MessagesPage key={parts[1]} topic={parts[1]!} query={query} />;
  }
  if (parts[0] === 'groups') {
    if (parts.length === 1) return <GroupsPage query={query} />;
    if (parts.length === 2) return <GroupPage key={parts[1]} id={parts[1]!} />;
  }
  if (parts[0] === 'access' && parts.length === 1) return <AccessPage />;
  if (parts[0] === 'quotas' && parts.length === 1) return <QuotasPage />;
  return (
    <Empty title="There is no page at this address.">
      <Link href={href('/')}>Go to the overview</Link>
    </Empty>
  );
}

export function App() {
  const { path, query } = useLocation();
  const session = useSession();
  // Keyed by the session: after a log-in every view loads again with the new key.
  return (
    <Layout path={path}>
      {session.needsLogin ? <LoginForm refused={session.hasKey} /> : <Fragment key={session.version}>{route(path, query)}</Fragment>}
    </Layout>
  );
}
