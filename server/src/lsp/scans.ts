// What the server's requests wait for: the grammar and the workspace folders' indexes, for those
// about open documents (answered during a scan), and the end of the scans under way, for those that
// need every file (features/context.ts RequestNeeds).

export class Scans {
  private resolveDocumentsReady!: () => void;
  /** The grammar is loaded and each workspace folder has its index: an open document can be parsed and indexed. */
  readonly documentsReady = new Promise<void>((resolve) => (this.resolveDocumentsReady = resolve));
  private resolveFirstDone!: () => void;
  /** The first start's scan is done. */
  readonly firstDone = new Promise<void>((resolve) => (this.resolveFirstDone = resolve));
  private first = true;
  /** Scans after the first: a folder added, the settings changed. */
  private readonly later = new Set<Promise<unknown>>();

  markDocumentsReady(): void {
    this.resolveDocumentsReady();
  }

  markFirstDone(): void {
    this.first = false;
    this.resolveFirstDone();
  }

  /** Runs a later scan, counted among those under way until it ends. */
  async track(scan: Promise<void>): Promise<void> {
    this.later.add(scan);
    try {
      await scan;
    } finally {
      this.later.delete(scan);
    }
  }

  /** Resolves when no scan is under way. */
  async done(): Promise<void> {
    await this.firstDone;
    while (this.later.size) await Promise.allSettled([...this.later]);
  }

  /** Whether a scan is under way: an answer from the index may lack what the files not read yet say. */
  get underWay(): boolean {
    return this.first || this.later.size > 0;
  }
}
