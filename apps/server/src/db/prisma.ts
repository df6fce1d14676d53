import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client.ts";

export type Db = InstanceType<typeof PrismaClient>;

export function createPrisma(connectionString: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

/** The client inside `db.$transaction(async (tx) => …)`: what a change and its audit entry are written with. */
export type Tx = Prisma.TransactionClient;
