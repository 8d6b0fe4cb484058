/**
 * @file <lesson-panel>: the lessons as presets: choosing one loads its config (and compare set)
 * and shows its text, which says what to look at.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { findLesson, LESSONS, lessonState } from './presets';
import type { PlaygroundStore } from './state/store';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

class LessonPanel extends LitElement {
  static override styles = [
    uiStyles,
    css`
    section.card { background: #f6f8fa; }
    .text { font-size: 12.5px; line-height: 1.45; }
  `,
  ];
  static override properties: PropertyDeclarations = { store: { attribute: false } };
  declare store: PlaygroundStore;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.state.lesson, s.editedLesson],
    );
  }

  private choose(id: string): void {
    const l = findLesson(id);
    if (!l) {
      void this.store.setState({ lesson: null });
      return;
    }
    const { config, compare } = lessonState(l);
    void this.store.setState({ config, compare, mode: l.mode, target: l.target, lesson: l.id });
  }

  override render(): TemplateResult {
    const current = findLesson(this.store.state.lesson);
    const edited = current ? undefined : findLesson(this.store.editedLesson);
    return html`<section class="card" aria-labelledby="lesson-h">
      <h2 id="lesson-h">Lessons</h2>
      <label class="field">Load a lesson
        <select @change=${(e: Event) => this.choose((e.target as HTMLSelectElement).value)}>
          <option value="" .selected=${!current}>— your own experiment —</option>
          ${LESSONS.map((l) => html`<option value=${l.id} .selected=${l.id === current?.id}>${l.title}</option>`)}
        </select></label>
      ${current ? html`<p class="text">${current.text}</p>` : nothing}
      ${edited ? html`<p class="text"><span class="muted">Edited from the lesson “${edited.title}”:</span> ${edited.text}</p>` : nothing}
    </section>`;
  }
}

customElements.define('lesson-panel', LessonPanel);

declare global {
  interface HTMLElementTagNameMap {
    'lesson-panel': LessonPanel;
  }
}
