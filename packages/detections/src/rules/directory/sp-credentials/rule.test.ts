import { describeRule } from '../../../testing/describe-rule.ts';
import { spCredentials } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(spCredentials, scenarios);
