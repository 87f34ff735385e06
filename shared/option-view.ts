/** One answer option as phones and the projector show it. Kept free of zod so pages stay small. */
export interface OptionView {
  key: string;
  /** ○, × or the choice letter: what tells options apart without colour. */
  symbol: string;
  /** The words beside the symbol, e.g. 正しい. */
  text: string;
}

/** How an option is named on a button or a bar, e.g. 「○ 正しい」. */
export function optionLabel(option: OptionView): string {
  return `${option.symbol} ${option.text}`;
}
