import type { VariableSpec } from './grafana-model.js';

/** The dashboards' variables and the matchers that read them. */
export const STORE: VariableSpec = {
  name: 'store',
  label: 'Store',
  query: 'label_values(fleetplane_broker_connected_devices_by_store, store)',
};
export const DEVICE_CLASS: VariableSpec = {
  name: 'device_class',
  label: 'Device class',
  query: 'label_values(fleetplane_broker_connected_devices, device_class)',
};
export const ROLLOUT: VariableSpec = {
  name: 'rollout',
  label: 'Rollout',
  query: 'label_values(fleetplane_ota_rollout_devices, rollout)',
};

export const RATE = '$__rate_interval';
export const CUT = 'store=~"$store", device_class=~"$device_class"';
export const CLASS = 'device_class=~"$device_class"';
