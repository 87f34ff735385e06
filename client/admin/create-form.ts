/** The form that creates a session with every setting; a duplicate fills it from an earlier session. */
import type { AdminSessionRow, CourseChoice, CreatedSession } from '../../shared/contract.ts';
import type { SessionSettingsInput } from '../../shared/protocol.ts';
import { el } from '../lib/dom.ts';
import { changeApi } from './admin-api.ts';
import { t } from './strings.ts';

const RETENTION_CHOICES = [30, 90, 180, 365];

interface Field {
  label: string;
  control: HTMLElement;
  hint?: string;
  /** The id the label names, when it is not the control's own (a checkbox inside its own label). */
  forId?: string;
}

function field({ label, control, hint, forId }: Field): HTMLElement {
  const id = forId ?? control.id;
  return el('div', { className: 'field' }, [
    el('label', { text: label, attrs: { for: id } }),
    control,
    hint ? el('p', { className: 'hint', text: hint }) : null,
  ]);
}

function input(id: string, attrs: Record<string, string> = {}): HTMLInputElement {
  return el('input', { attrs: { id, name: id, type: 'text', ...attrs } });
}

function select(id: string, options: Array<[string, string]>): HTMLSelectElement {
  return el('select', { attrs: { id, name: id } }, options.map(([value, label]) => el('option', { text: label, attrs: { value } })));
}

function radios(name: string, options: Array<[string, string]>): HTMLElement {
  return el(
    'div',
    { className: 'radios', attrs: { id: name, role: 'radiogroup' } },
    options.map(([value, label], index) => {
      const radio = el('input', { attrs: { type: 'radio', name, value, id: `${name}-${value}` } });
      radio.checked = index === 0;
      return el('label', { className: 'radio' }, [radio, document.createTextNode(label)]);
    }),
  );
}

function defaultGroupNames(count: number): string {
  return Array.from({ length: count }, (_, index) => `${index + 1}班`).join('、');
}

export interface CreateForm {
  element: HTMLElement;
  /** Fills the form from an earlier session (duplicate). */
  fillFrom(row: AdminSessionRow): void;
}

export function createSessionForm(courses: CourseChoice[], onCreated: (created: CreatedSession) => void): CreateForm {
  const course = select('course', courses.map((choice) => [choice.id, choice.title]));
  const variant = select('variant', []);
  const showVariants = (): void => {
    const chosen = courses.find((choice) => choice.id === course.value);
    variant.replaceChildren(...(chosen?.variants ?? []).map((option) => el('option', { text: option.title, attrs: { value: option.id } })));
    if (chosen) variant.value = chosen.defaultVariant;
  };
  course.addEventListener('change', showVariants);
  showVariants();
  const title = input('title', { maxlength: '120' });
  const client = input('clientName', { maxlength: '80' });
  const startsAt = input('startsAt', { type: 'datetime-local' });
  const venue = input('venue', { maxlength: '80' });
  const lecturer = input('lecturer', { maxlength: '60' });
  const expected = input('expectedParticipants', { type: 'number', min: '1', max: '20000', value: '100', required: '' });
  const groupCount = input('groupCount', { type: 'number', min: '0', max: '30', value: '0' });
  const groupNames = input('groups', { maxlength: '400' });
  groupCount.addEventListener('input', () => {
    groupNames.value = defaultGroupNames(Math.max(0, Math.min(30, Number(groupCount.value) || 0)));
  });
  const participation = radios('participation', [
    ['anonymous', t.anonymous],
    ['named', t.named],
  ]);
  const kind = radios('kind', [
    ['real', t.real],
    ['rehearsal', t.rehearsal],
  ]);
  const wifiName = input('wifiName', { maxlength: '64' });
  const wifiPassword = input('wifiPassword', { maxlength: '64' });
  const prePost = el('input', { attrs: { id: 'prePost', name: 'prePost', type: 'checkbox' } });
  const prePostField = el('label', { className: 'radio' }, [prePost, document.createTextNode(t.prePostOn)]);
  const leaderboard = select('leaderboard', [['0', t.leaderboardOff], ...[3, 5, 10].map((count): [string, string] => [String(count), t.leaderboardTop(count)])]);
  const retention = select('retentionDays', [['', t.retentionOff], ...RETENTION_CHOICES.map((days): [string, string] => [String(days), t.retentionDays(days)])]);
  const error = el('p', { className: 'error', attrs: { role: 'alert' } });
  const submit = el('button', { className: 'primary', text: t.create, attrs: { type: 'submit' } });

  const form = el('form', { className: 'create-form', attrs: { 'aria-labelledby': 'create-title' } }, [
    el('h2', { text: t.createTitle, attrs: { id: 'create-title' } }),
    el('div', { className: 'grid' }, [
      field({ label: t.course, control: course }),
      field({ label: t.variant, control: variant }),
      field({ label: t.title, control: title, hint: t.titleHint }),
      field({ label: t.client, control: client }),
      field({ label: t.startsAt, control: startsAt }),
      field({ label: t.venue, control: venue }),
      field({ label: t.lecturer, control: lecturer }),
      field({ label: t.expectedParticipants, control: expected, hint: t.expectedHint }),
      field({ label: t.groupCount, control: groupCount, hint: t.groupHint }),
      field({ label: t.groupNames, control: groupNames }),
      field({ label: t.participation, control: participation }),
      field({ label: t.kind, control: kind }),
      field({ label: t.prePost, control: prePostField, forId: 'prePost' }),
      field({ label: t.leaderboard, control: leaderboard }),
      field({ label: t.retention, control: retention }),
      field({ label: t.wifiName, control: wifiName }),
      field({ label: t.wifiPassword, control: wifiPassword }),
    ]),
    submit,
    error,
  ]);
  const checked = (name: string): string => form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? '';

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const groups = Number(groupCount.value) > 0 ? groupNames.value.split(/[,、，]/).map((name) => name.trim()).filter(Boolean) : [];
    const settings: SessionSettingsInput = {
      clientName: client.value,
      startsAt: startsAt.value ? startsAt.value.slice(0, 16) : null,
      venue: venue.value,
      lecturer: lecturer.value,
      groups,
      expectedParticipants: Number(expected.value) || 100,
      participation: checked('participation') === 'named' ? 'named' : 'anonymous',
      isRehearsal: checked('kind') === 'rehearsal',
      prePost: prePost.checked,
      leaderboard: Number(leaderboard.value),
      wifiName: wifiName.value,
      wifiPassword: wifiPassword.value,
      retentionDays: retention.value ? Number(retention.value) : null,
    };
    submit.disabled = true;
    const created = await changeApi<CreatedSession>('POST', '/api/sessions', {
      course: course.value,
      variant: variant.value,
      ...(title.value.trim() ? { title: title.value.trim() } : {}),
      settings,
    });
    submit.disabled = false;
    if (!created.ok) {
      error.textContent = `${t.createFailed}: ${created.error.message}`;
      return;
    }
    onCreated(created.data);
  });

  const setChecked = (name: string, value: string): void => {
    const radio = form.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  };

  return {
    element: form,
    fillFrom(row) {
      const { settings } = row;
      course.value = row.session.courseId;
      showVariants();
      variant.value = row.session.variantId;
      title.value = t.copyOf(row.session.title);
      client.value = settings.clientName;
      startsAt.value = settings.startsAt ?? '';
      venue.value = settings.venue;
      lecturer.value = settings.lecturer;
      expected.value = String(settings.expectedParticipants);
      groupCount.value = String(settings.groups.length);
      groupNames.value = settings.groups.join('、');
      setChecked('participation', settings.participation);
      setChecked('kind', settings.isRehearsal ? 'rehearsal' : 'real');
      prePost.checked = settings.prePost;
      leaderboard.value = String(settings.leaderboard);
      wifiName.value = settings.wifiName;
      wifiPassword.value = settings.wifiPassword;
      retention.value = settings.retentionDays === null ? '' : String(settings.retentionDays);
      form.scrollIntoView({ behavior: 'smooth' });
      title.focus();
    },
  };
}
