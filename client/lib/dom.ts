/** Builds an element; text is always set as textContent, never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  children: Array<Node | null | undefined> = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

export function requireElement<T extends HTMLElement>(selector: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`missing element ${selector}`);
  return element;
}

/** The join code from a path such as /join/ABCDEF. */
export function codeFromPath(): string {
  return (location.pathname.split('/').filter(Boolean)[1] ?? '').toUpperCase();
}

/** The nodes of a list that may hold nulls for parts not shown. */
export function present(nodes: Array<Node | null | undefined>): Node[] {
  return nodes.filter((node): node is Node => node != null);
}
