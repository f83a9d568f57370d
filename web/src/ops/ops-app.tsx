import type { SurfaceProps } from '../main.js';
import { useHashRoute } from '../ui/hash-route.js';
import { Shell } from '../ui/shell.js';
import { AlarmsView } from './alarms-view.js';
import { BillingView } from './billing-view.js';
import { ComplianceView } from './compliance-view.js';
import { DeadLetters } from './dead-letters.js';
import { DeviceView } from './device-view.js';
import { FleetDiffView } from './fleet-diff-view.js';
import { FleetView } from './fleet-view.js';
import { IntegrationsView } from './integrations-view.js';
import { InviteStaff } from './invite-staff.js';
import { MetricsView } from './metrics-view.js';
import { RolloutsView } from './rollouts-view.js';
import { TopErrorsView } from './top-errors-view.js';

const TABS = [
  { view: 'fleet', label: 'Fleet' },
  { view: 'alarms', label: 'Alarms' },
  { view: 'fleet-diff', label: 'Fleet diff' },
  { view: 'top-errors', label: 'Top error devices' },
  { view: 'metrics', label: 'Metrics' },
  { view: 'rollouts', label: 'Rollouts' },
  { view: 'device', label: 'Device' },
  { view: 'dead-letters', label: 'Dead letters' },
  { view: 'integrations', label: 'Integrations' },
  { view: 'billing', label: 'Billing' },
  { view: 'compliance', label: 'Compliance' },
  { view: 'people', label: 'Invite staff' },
];

/** The ops console: the whole fleet, for the people who run the platform. */
export default function OpsApp({ session }: SurfaceProps) {
  const route = useHashRoute('fleet');
  if (!session) return null;
  const view = TABS.some((t) => t.view === route.view) ? route.view : 'fleet';
  return (
    <Shell surface="Ops console" session={session} tabs={TABS} current={view}>
      {view === 'fleet' ? <FleetView /> : null}
      {view === 'alarms' ? <AlarmsView alarmId={route.arg} /> : null}
      {view === 'fleet-diff' ? <FleetDiffView storeId={route.arg} /> : null}
      {view === 'top-errors' ? <TopErrorsView /> : null}
      {view === 'metrics' ? <MetricsView /> : null}
      {view === 'rollouts' ? <RolloutsView /> : null}
      {view === 'device' ? <DeviceView deviceId={route.arg} /> : null}
      {view === 'dead-letters' ? <DeadLetters /> : null}
      {view === 'integrations' ? <IntegrationsView /> : null}
      {view === 'billing' ? <BillingView /> : null}
      {view === 'compliance' ? <ComplianceView /> : null}
      {view === 'people' ? <InviteStaff /> : null}
    </Shell>
  );
}
