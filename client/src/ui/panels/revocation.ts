/**
 * The leaked-key event on each seat's panel (the engine's views say every fact; these only
 * render them): the bank's request as the CA decides it, the bank's old certificate's fate, the
 * stolen certificate as Mallory's responder sees it, and what Alice's browser does about revocation.
 */
import type { AttackerView, CaView, ClientView, ServerView } from '../../shared.ts';
import { h, mark } from '../dom.ts';
import { browserFact } from './browserFacts.ts';
import type { PanelContext } from './context.ts';

/** The CA: the bank's request to revoke, what it can check, and Revoke / Refuse. */
export function revocationRequest(r: NonNullable<CaView['revocation']>, canAnswer: boolean, ctx: PanelContext): HTMLElement {
  const open = r.decision === 'pending';
  return h(
    'div',
    { class: `revocation-request csr csr-${open ? 'pending' : r.decision === 'revoked' ? 'signed' : 'refused'}`, id: 'revocation-request', role: 'group', 'aria-labelledby': 'revocation-title' },
    h('h3', { id: 'revocation-title' }, 'Revocation request: certificate ', h('strong', {}, `${r.serial} for ${r.subject}`)),
    h('dl', { class: 'csr-facts' }, h('dt', {}, 'Asked from'), h('dd', {}, r.requester), h('dt', {}, 'Reason'), h('dd', {}, r.reason)),
    h('h5', {}, 'What you can check'),
    h('ul', {}, r.proof.map((p) => h('li', {}, mark(p.holds, p.what)))),
    h('p', {}, mark('info', `Revoked, your OCSP responder answers “revoked” for this serial to anyone who asks; refused, it keeps answering “good” — ${r.validity.kind === 'valid' ? `and whoever holds the leaked key keeps a valid certificate for ${r.validity.daysLeft} more days.` : `though this ${r.validity.lifetimeHours}-hour certificate ran out ${r.validity.daysAgo} days ago: every browser flags it as expired anyway.`}`)),
    h('button', { type: 'button', class: 'link', 'data-key': 'revocation-fields', onclick: () => ctx.inspectFields(`Certificate ${r.serial} for ${r.subject}`, r.fields) }, 'Open the certificate in the inspector'),
    open
      ? h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', 'data-key': 'revoke', disabled: !canAnswer, onclick: () => ctx.act({ type: 'answerRevocation', revoke: true }) }, 'Revoke it'),
          h('button', { type: 'button', class: 'danger', 'data-key': 'refuse-revocation', disabled: !canAnswer, onclick: () => ctx.act({ type: 'answerRevocation', revoke: false }) }, '✘ Refuse'),
        )
      : h('p', { role: 'status', 'data-key': 'revocation-answer' }, r.decision === 'revoked' ? mark(true, 'You revoked it: your OCSP responder now says “revoked”.') : mark(false, 'You refused: your OCSP responder still says “good” for it.')),
  );
}

/** The bank: its old certificate, whose key leaked, and what the CA made of its request. */
export function bankRevocationLine(r: NonNullable<ServerView['revocation']>): HTMLElement {
  const fate = r.decision === 'revoked' ? mark(true, 'the CA revoked it.') : r.decision === 'refused' ? mark(false, 'the CA refused: it is still “good”, and the thief can use it.') : mark('warn', 'the CA has not answered yet.');
  return h(
    'div',
    { class: 'revocation-status', id: 'bank-revocation' },
    h('p', {}, 'Your old private key leaked. You asked the CA to revoke its certificate, ', h('strong', {}, `${r.serial} for ${r.subject}`), ': ', fate),
    r.stapling ? h('p', {}, 'You run on a new key and certificate; your server staples the CA’s OCSP answer on it (“good”) for every browser that asks.') : null,
  );
}

/** Her proxy's persona at this event: the certificate the CA issued for bank.example is the bank's own. */
export const STOLEN_PERSONA = 'the bank’s own certificate (its key leaked to you)';

/** Mallory: the bank's certificate whose key she holds, and what the CA's public responder says of it. */
export function stolenCertificateLine(k: NonNullable<AttackerView['leakedKey']>): HTMLElement {
  return h(
    'div',
    { class: 'stolen-certificate', id: 'stolen-certificate' },
    h('h3', {}, 'The bank’s leaked key'),
    h(
      'p',
      {},
      'You hold the bank’s old private key and its certificate, ',
      h('strong', {}, `${k.serial} for ${k.subject}`),
      k.validity.kind === 'valid'
        ? ` — valid for ${k.validity.daysLeft} more days. Show it with your proxy (“${STOLEN_PERSONA}”).`
        : ` — but the bank orders short-lived certificates, and this ${k.validity.lifetimeHours}-hour one ran out ${k.validity.daysAgo} days ago: a browser shows it as expired. Show it with your proxy (“${STOLEN_PERSONA}”) and hope Alice clicks through.`,
    ),
    h('p', { role: 'status' }, k.revoked ? mark('warn', `The CA’s OCSP responder says: revoked. Your gateway will staple no answer — ${k.validity.kind === 'valid' ? 'a soft-fail browser goes on anyway.' : 'no browser asks about a certificate this short-lived: its dates give it away.'}`) : mark(true, 'The CA’s OCSP responder says: good. Your gateway staples that answer, as the bank would.')),
  );
}

/** Alice: what her browser does about revocation. */
export function revocationPolicyLine(p: NonNullable<NonNullable<ClientView['browser']>['revocation']>): HTMLElement {
  const does = p.hardFail ? ' — without a good answer it refuses the certificate.' : ' — without an answer it asks the CA itself, and if nothing comes back it goes on anyway.';
  return browserFact('my-revocation', 'Revocation: your browser asks the bank for the CA’s OCSP answer (stapled) and is ', p.hardFail ? 'hard-fail' : 'soft-fail', does);
}
