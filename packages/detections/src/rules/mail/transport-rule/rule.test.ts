import { describeRule } from '../../../testing/describe-rule.ts';
import { transportRule } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(transportRule, scenarios);
