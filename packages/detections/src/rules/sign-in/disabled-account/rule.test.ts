import { describeRule } from '../../../testing/describe-rule.ts';
import { disabledAccount } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(disabledAccount, scenarios);
