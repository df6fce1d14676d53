import type { Db } from "../db/prisma.ts";

/** Install-wide marks in app_settings, e.g. that the demo was seeded, so first-start work runs once per database. */
export function appSettingRepository(db: Db) {
  return {
    /** Sets the mark unless it is there: true for the one start that set it, false for every other. */
    async claim(key: string): Promise<boolean> {
      const r = await db.appSetting.createMany({ data: [{ key, value: { at: new Date().toISOString() } }], skipDuplicates: true });
      return r.count === 1;
    },
    /** Takes the mark back (the work it stood for failed), so the next start tries again. */
    async release(key: string): Promise<void> {
      await db.appSetting.delete({ where: { key } }).catch(() => undefined);
    },
  };
}
