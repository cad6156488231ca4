// Cluster-wide lists read page by page, so the provider never holds one response of every pod in a
// large cluster: each page is reduced to what the caller keeps (a pod summary) before the next.

/** kubectl's --chunk-size default. */
export const listPageSize = 500;

export interface ListPage<T> {
  readonly items: T[];
  readonly metadata?: { readonly _continue?: string };
}

/** Reads every page of a list, handing each page's items to `onPage` before asking for the next. */
export async function forEachPage<T>(page: (cont: string | undefined) => Promise<ListPage<T>>, onPage: (items: T[]) => void): Promise<void> {
  let cont: string | undefined;
  do {
    const list = await page(cont);
    onPage(list.items);
    cont = list.metadata?._continue || undefined;
  } while (cont);
}

/** Every item of a list, read page by page. */
export async function listAll<T>(page: (cont: string | undefined) => Promise<ListPage<T>>): Promise<T[]> {
  const items: T[] = [];
  await forEachPage(page, (list) => items.push(...list));
  return items;
}

/** The list kept under `key`, made on first use: how a page's items are grouped, e.g. pods by Node. */
export function listUnder<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
