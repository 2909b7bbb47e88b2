import { describeRule } from '../../../testing/describe-rule.ts';
import { mailboxForwarding } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(mailboxForwarding, scenarios);
