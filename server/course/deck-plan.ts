import type { Course, Slide, Variant } from '../../shared/course.ts';
import type { SessionSettings } from '../../shared/protocol.ts';
import { TITLE_SLIDE_ID } from '../../shared/contract.ts';
import type { PlannedSlide } from '../domain/deck.ts';
import { partsOfVariant, type PlanPart } from './course-catalog.ts';

/**
 * The slides of one variant in the order the deck shows them, title slide first. A break or Q&A slot
 * of the agenda is one slide of its own part (never a question slide); a slide's chapterId is its part.
 */
export class DeckPlan {
  private readonly slidesById: Map<string, PlannedSlide>;
  private readonly partsById: Map<string, PlanPart>;

  constructor(
    readonly slides: readonly PlannedSlide[],
    readonly parts: readonly PlanPart[],
  ) {
    this.slidesById = new Map(slides.map((slide) => [slide.id, slide]));
    this.partsById = new Map(parts.map((part) => [part.id, part]));
  }

  static of(course: Course, variant: Variant, settings: SessionSettings): DeckPlan {
    const slides: PlannedSlide[] = [{ id: TITLE_SLIDE_ID, chapterId: null, questionId: null, testKind: null }];
    const parts = partsOfVariant(course, variant);
    for (const part of parts) {
      if (part.kind === 'break') {
        slides.push({ id: part.id, chapterId: part.id, questionId: null, testKind: null });
        continue;
      }
      for (const slide of slidesOfSession(part.chapter.slides, settings)) {
        slides.push({
          id: slide.id,
          chapterId: part.id,
          questionId: slide.kind === 'question' ? slide.questionId : null,
          testKind: slide.kind === 'test' ? slide.testKind : null,
        });
      }
    }
    return new DeckPlan(slides, parts);
  }

  find(slideId: string): PlannedSlide | undefined {
    return this.slidesById.get(slideId);
  }

  /** The title of a chapter, or the label of a break/Q&A slot. */
  chapterTitle(chapterId: string | null): string | null {
    return chapterId === null ? null : (this.partsById.get(chapterId)?.title ?? null);
  }
}

/** A chapter's slides as a session shows them: the pre-test only in sessions with a pre/post measure. */
export function slidesOfSession(slides: readonly Slide[], settings: SessionSettings): Slide[] {
  return slides.filter((slide) => slide.kind !== 'test' || slide.testKind === 'post' || settings.prePost);
}
