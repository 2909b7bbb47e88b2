export { Detector } from './detector.ts';
export type { DetectorOptions } from './detector.ts';
