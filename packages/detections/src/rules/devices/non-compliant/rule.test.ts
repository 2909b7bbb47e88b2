import { describeRule } from '../../../testing/describe-rule.ts';
import { nonCompliant } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(nonCompliant, scenarios);
