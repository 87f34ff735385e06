import type { Course, Slide, Variant } from '../../shared/course.ts';
import type { SessionSettings } from '../../shared/protocol.ts';
import { TITLE_SLIDE_ID } from '../../shared/contract.ts';
import type { PlannedSlide } from '../domain/deck.ts';
import { chaptersOfVariant } from './course-catalog.ts';

/** The slides of one variant in the order the deck shows them, title slide first. */
export class DeckPlan {
  private readonly slidesById: Map<string, PlannedSlide>;
  private readonly chapterTitles: Map<string, string>;

  constructor(readonly slides: readonly PlannedSlide[], chapterTitles: Map<string, string>) {
    this.slidesById = new Map(slides.map((slide) => [slide.id, slide]));
    this.chapterTitles = chapterTitles;
  }

  static of(course: Course, variant: Variant, settings: SessionSettings): DeckPlan {
    const slides: PlannedSlide[] = [{ id: TITLE_SLIDE_ID, chapterId: null, questionId: null, testKind: null }];
    const titles = new Map<string, string>();
    for (const { chapter } of chaptersOfVariant(course, variant)) {
      titles.set(chapter.id, chapter.title);
      for (const slide of slidesOfSession(chapter.slides, settings)) {
        slides.push({
          id: slide.id,
          chapterId: chapter.id,
          questionId: slide.kind === 'question' ? slide.questionId : null,
          testKind: slide.kind === 'test' ? slide.testKind : null,
        });
      }
    }
    return new DeckPlan(slides, titles);
  }

  find(slideId: string): PlannedSlide | undefined {
    return this.slidesById.get(slideId);
  }

  chapterTitle(chapterId: string | null): string | null {
    return chapterId === null ? null : (this.chapterTitles.get(chapterId) ?? null);
  }
}

/** A chapter's slides as a session shows them: the pre-test only in sessions with a pre/post measure. */
export function slidesOfSession(slides: readonly Slide[], settings: SessionSettings): Slide[] {
  return slides.filter((slide) => slide.kind !== 'test' || slide.testKind === 'post' || settings.prePost);
}
