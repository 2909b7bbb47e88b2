import { describeRule } from '../../../testing/describe-rule.ts';
import { passwordSpray } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(passwordSpray, scenarios);
