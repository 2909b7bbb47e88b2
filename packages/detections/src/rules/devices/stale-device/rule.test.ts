import { describeRule } from '../../../testing/describe-rule.ts';
import { staleDevice } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(staleDevice, scenarios);
