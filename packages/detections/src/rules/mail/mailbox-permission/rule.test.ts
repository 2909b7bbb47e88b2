import { describeRule } from '../../../testing/describe-rule.ts';
import { mailboxPermission } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(mailboxPermission, scenarios);
