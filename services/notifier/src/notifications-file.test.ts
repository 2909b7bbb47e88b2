import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nightjar/core';
import { fileURLToPath } from 'node:url';
import { parseNotifications, readNotificationsFile } from './notifications-file.ts';

const valid = `
msps:
  - id: msp-1
    targets:
      soc-slack: { kind: slack, webhookUrl: 'https://hooks.slack.com/services/T0/B0/secret' }
      soc-mail:
        kind: smtp
        host: smtp.example.com
        port: 587
        from: soc@example.com
        to: [analyst@example.com]
        messagesPerMinute: 2
    routes:
      - name: identity
        match: { rules: ['AUTH-*'], minSeverity: high }
        targets: [soc-slack]
        quietHours: { from: '22:00', to: '07:00', timeZone: Europe/Berlin }
    defaultTargets: [soc-mail]
`;

describe('notifications file', () => {
  it('reads targets, routes and defaults per MSP', () => {
    const msp = parseNotifications(valid, 'notifications.yaml').get('msp-1')!;
    expect(msp.routing.routes[0]!.match).toEqual({ rules: ['AUTH-*'], minSeverity: 'high' });
    expect(msp.routing.routes[0]!.quietHours).toEqual({
      from: '22:00',
      to: '07:00',
      timeZone: 'Europe/Berlin',
      except: 'high',
    });
    expect(msp.targets.get('soc-mail')).toMatchObject({ kind: 'smtp', security: 'starttls', messagesPerMinute: 2 });
    expect(msp.targets.get('soc-slack')).toMatchObject({ messagesPerMinute: 6 });
    expect(msp.updateCadenceMs).toBe(3_600_000);
  });

  it('accepts the example shipped for deployments', () => {
    const example = fileURLToPath(new URL('../../../deploy/docker/notifications.example.yaml', import.meta.url));
    const msp = readNotificationsFile(example).get('contoso-msp')!;
    expect([...msp.targets.keys()].sort()).toEqual(['customer-mail', 'oncall-telegram', 'relay', 'siem', 'soc-slack']);
    expect(msp.routing.defaultTargets).toEqual(['siem']);
  });

  it.each([
    [valid.replace('targets: [soc-slack]', 'targets: [soc-pager]'), 'msps.0.routes.0.targets.0: no target "soc-pager"'],
    [valid.replace("from: '22:00'", "from: '25:00'"), 'msps.0.routes.0.quietHours.from: must be HH:MM'],
    [valid.replace('Europe/Berlin', 'Mars/Olympus'), 'msps.0.routes.0.quietHours.timeZone'],
    [valid.replace('to: [analyst@example.com]', 'to: [not-an-address]'), 'msps.0.targets.soc-mail'],
    [valid.replace('kind: smtp', 'kind: pigeon'), 'msps.0.targets.soc-mail'],
    [
      valid.replace(
        'port: 587',
        'port: 25\n        security: none\n        username: soc\n        password: hunter2-relay',
      ),
      'msps.0.targets.soc-mail.security: target "soc-mail" would send its SMTP username and password unencrypted',
    ],
  ])('names the file and the field of a mistake (%#)', (text, field) => {
    expect(() => parseNotifications(text, 'notifications.yaml')).toThrow(ConfigError);
    expect(() => parseNotifications(text, 'notifications.yaml')).toThrow(`notifications.yaml: ${field}`);
  });

  it('allows an unencrypted relay that takes no credentials', () => {
    const open = valid.replace('port: 587', 'port: 25\n        security: none');
    expect(parseNotifications(open, 'n.yaml').get('msp-1')!.targets.get('soc-mail')).toMatchObject({
      security: 'none',
    });
  });

  it('never repeats a secret in its errors', () => {
    const broken = valid.replace("webhookUrl: 'https://hooks.slack.com/services/T0/B0/secret'", 'webhookUrl: 42');
    expect(() => parseNotifications(broken, 'n.yaml')).toThrow(/webhookUrl/);
    try {
      parseNotifications(valid.replace('port: 587', 'port: -1'), 'n.yaml');
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });
});
