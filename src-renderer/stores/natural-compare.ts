// Natural order for names shown in lists ("Cam 2" before "Cam 10"). One shared Intl.Collator: calling
// localeCompare with options builds a collator per comparison, which showed up in the first paint.
const collator = new Intl.Collator(undefined, { numeric: true });

export const naturalCompare = (a: string, b: string): number => collator.compare(a, b);
