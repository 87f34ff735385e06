import type { Course, Variant } from '../../shared/course.ts';
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

  static of(course: Course, variant: Variant): DeckPlan {
    const slides: PlannedSlide[] = [{ id: TITLE_SLIDE_ID, chapterId: null, questionId: null }];
    const titles = new Map<string, string>();
    for (const { chapter } of chaptersOfVariant(course, variant)) {
      titles.set(chapter.id, chapter.title);
      for (const slide of chapter.slides) {
        slides.push({ id: slide.id, chapterId: chapter.id, questionId: slide.kind === 'question' ? slide.questionId : null });
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
