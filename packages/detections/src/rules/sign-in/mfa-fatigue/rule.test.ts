import { describeRule } from '../../../testing/describe-rule.ts';
import { mfaFatigue } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(mfaFatigue, scenarios);
