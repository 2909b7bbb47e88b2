import { describeRule } from '../../../testing/describe-rule.ts';
import { tokenReplay } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(tokenReplay, scenarios);
