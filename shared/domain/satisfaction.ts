import { ConflictError, ValidationError } from './errors';

/**
 * A post-discharge satisfaction survey in the style of HCAHPS: frequency and agreement items on
 * a 1–4 scale, the overall rating on 0–10. The top box is the best answer: 4 on the 1–4 items,
 * 9 or 10 on the rating (as CMS reports HCAHPS). Sent by the follow-up workflow once the
 * 2-business-day contact deadline has passed (HCAHPS surveys 48 hours to 6 weeks after discharge).
 */
export const SURVEY_ITEMS = {
  'nurses-listened': { scale: '1-4', text: 'How often did nurses listen carefully to you?' },
  'doctors-explained': { scale: '1-4', text: 'How often did doctors explain things in a way you could understand?' },
  'help-when-needed': { scale: '1-4', text: 'How often did you get help as soon as you wanted it?' },
  'medicines-explained': { scale: '1-4', text: 'Before giving you any new medicine, how often did staff tell you what it was for?' },
  'care-transition-understood': {
    scale: '1-4',
    text: 'When I left the hospital, I clearly understood the purpose of taking each of my medicines.',
  },
  'would-recommend': { scale: '1-4', text: 'Would you recommend this hospital to your friends and family?' },
  'overall-rating': { scale: '0-10', text: 'Using any number from 0 to 10, what number would you use to rate this hospital?' },
} as const;
export type SurveyItem = keyof typeof SURVEY_ITEMS;
export const SURVEY_ITEM_IDS = Object.keys(SURVEY_ITEMS) as SurveyItem[];
export const SURVEY_CHANNELS = ['mail', 'phone', 'web'] as const;

export interface SatisfactionSurvey {
  surveyId: string;
  sentAt: string;
  /** `withdrawn`: the patient died before answering (HCAHPS: ineligible, deceased). */
  status: 'sent' | 'answered' | 'withdrawn';
  answeredAt?: string;
  withdrawnAt?: string;
  withdrawnReason?: string;
  channel?: (typeof SURVEY_CHANNELS)[number];
  answers?: Partial<Record<SurveyItem, number>>;
}

export const isTopBox = (item: SurveyItem, answer: number) => (SURVEY_ITEMS[item].scale === '0-10' ? answer >= 9 : answer === 4);

/** Each answer on its item's scale; at least one item answered. */
export function checkAnswers(answers: Record<string, number>): Partial<Record<SurveyItem, number>> {
  const issues = Object.entries(answers).flatMap(([item, value]) => {
    const spec = SURVEY_ITEMS[item as SurveyItem];
    if (!spec) return [{ field: `answers.${item}`, reason: 'is not an item of the survey' }];
    const [min, max] = spec.scale === '0-10' ? [0, 10] : [1, 4];
    return Number.isInteger(value) && value >= min && value <= max
      ? []
      : [{ field: `answers.${item}`, reason: `must be a whole number from ${min} to ${max}` }];
  });
  if (Object.keys(answers).length === 0) issues.push({ field: 'answers', reason: 'must answer at least one item' });
  if (issues.length) throw new ValidationError('The answers are not valid', issues);
  return answers as Partial<Record<SurveyItem, number>>;
}

export function answerSurvey(
  survey: SatisfactionSurvey | undefined,
  answers: Partial<Record<SurveyItem, number>>,
  answer: { answeredAt: string; channel: SatisfactionSurvey['channel'] },
  now: Date,
): SatisfactionSurvey {
  if (!survey) throw new ConflictError('No satisfaction survey was sent for this stay');
  if (survey.status === 'answered') throw new ConflictError('The survey was already answered');
  if (survey.status === 'withdrawn') throw new ConflictError('The survey was withdrawn: the patient died');
  if (Date.parse(answer.answeredAt) > now.getTime())
    throw new ValidationError('Answered in the future', [{ field: 'answeredAt', reason: 'must not be in the future' }]);
  if (answer.answeredAt < survey.sentAt)
    throw new ValidationError('Answered before it was sent', [{ field: 'answeredAt', reason: 'must not be before the survey was sent' }]);
  return { ...survey, status: 'answered', answers, answeredAt: answer.answeredAt, ...(answer.channel ? { channel: answer.channel } : {}) };
}

/** The month a stay's answers count for: its discharge month (as CMS reports HCAHPS by discharge). */
export const reportingMonth = (dischargedAt: string) => dischargedAt.slice(0, 7);

export interface TopBoxScore {
  item: SurveyItem;
  responses: number;
  topBox: number;
  /** Percent of responses in the top box, one decimal; null without responses. */
  topBoxPercent: number | null;
}

export function topBoxScores(
  counts: ReadonlyArray<{ responses: Partial<Record<SurveyItem, number>>; topBox: Partial<Record<SurveyItem, number>> }>,
): TopBoxScore[] {
  return SURVEY_ITEM_IDS.map((item) => {
    const responses = counts.reduce((sum, c) => sum + (c.responses[item] ?? 0), 0);
    const topBox = counts.reduce((sum, c) => sum + (c.topBox[item] ?? 0), 0);
    return { item, responses, topBox, topBoxPercent: responses ? Math.round((topBox / responses) * 1000) / 10 : null };
  });
}
