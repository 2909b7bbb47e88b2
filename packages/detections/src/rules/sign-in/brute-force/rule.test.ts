import { describeRule } from '../../../testing/describe-rule.ts';
import { bruteForce } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(bruteForce, scenarios);
