/** The benchmark's simulator, in its own process; see startCloudProcess. */
import { startCloud, type CloudPlan, type SimulatedCloud } from './simulated-cloud.ts';

process.once('message', (plan: CloudPlan) => {
  void startCloud(plan).then((running) => {
    const cloud: SimulatedCloud = {
      urls: running.urls,
      caCertPem: running.caCertPem,
      partnerTenantId: running.partnerTenantId,
      now: running.now,
      tenants: running.tenants,
      signIns: running.signIns,
    };
    process.send?.(cloud);
  });
});
