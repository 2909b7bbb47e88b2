import { describeRule } from '../../../testing/describe-rule.ts';
import { riskLevel } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(riskLevel, scenarios);
