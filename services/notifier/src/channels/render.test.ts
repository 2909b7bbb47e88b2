import { describe, expect, it } from 'vitest';
import { alertView, HOSTILE_SUMMARY, manyAlerts, notificationOf } from './fixtures.ts';
import { renderHtml, renderSubject, renderText } from './render.ts';

describe('mail rendering', () => {
  it('keeps the subject on one line, led by the severity once', () => {
    const alert = alertView();
    expect(renderSubject(notificationOf([alert]))).toBe('[Nightjar] HIGH AUTH-005 Password spray');
    expect(renderSubject(notificationOf([alert], { title: 'Spray\r\nBcc: someone@evil.example' }))).toBe(
      '[Nightjar] HIGH Spray Bcc: someone@evil.example',
    );
    expect(renderSubject(notificationOf([alert], { update: true }))).toBe(
      '[Nightjar] Update: HIGH AUTH-005 Password spray',
    );
  });

  it('escapes every dynamic value in the HTML, rule names and entities included', () => {
    const html = renderHtml(
      notificationOf([
        alertView({ summary: HOSTILE_SUMMARY, ruleName: '<b>Spray</b>', entityId: '"><img src=x onerror=1>' }),
      ]),
    );
    expect(html).not.toMatch(/<script|<img|<b>Spray/);
    expect(html).toContain('&lt;b&gt;Spray&lt;/b&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=1&gt;');
  });

  it('links only http(s) URLs', () => {
    const html = renderHtml(notificationOf([alertView({ link: 'javascript:alert(1)' })]));
    expect(html).not.toContain('javascript:');
    expect(renderText(notificationOf([alertView({ link: null })]))).not.toContain('Link:');
  });

  it('shows one alert with every fact in the text part', () => {
    const text = renderText(notificationOf([alertView()]));
    expect(text).toContain('HIGH AUTH-005 Password spray');
    expect(text).toContain('Tenant:     8f2b1c3d-0000-4000-8000-00000000c0de');
    expect(text).toContain('Last seen:  2025-05-01T10:09:30Z');
    expect(text).toContain('IPs:        203.0.113.7, 198.51.100.23');
    expect(text).toContain('Countries:  NL, RU');
    expect(text).toContain('MITRE:      T1110.003');
  });

  it('shows a cross-tenant incident with all its tenants', () => {
    const text = renderText(notificationOf([alertView({ tenantId: null, tenantIds: ['t-1', 't-2'] })]));
    expect(text).toContain('Tenant:     t-1, t-2');
  });

  it('lists a group in a table, highest severity first', () => {
    const html = renderHtml(notificationOf(manyAlerts(10)));
    const severities = [...html.matchAll(/<tr valign="top"[^>]*><td style="[^"]*">(\w+)<\/td>/g)].map(
      (match) => match[1],
    );
    expect(severities).toEqual([
      'CRITICAL',
      'CRITICAL',
      'HIGH',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'LOW',
      'INFO',
      'INFO',
    ]);
  });
});
