import { describeRule } from '../../../testing/describe-rule.ts';
import { successAfterFailures } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(successAfterFailures, scenarios);
