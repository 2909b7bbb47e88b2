export * from './world/index.ts';
export { startSimulator } from './server/simulator.ts';
export type { RunningSimulator, SimulatorOptions, SimulatorUrls } from './server/simulator.ts';
export type { Fault, FaultInput, Endpoint } from './server/faults.ts';
