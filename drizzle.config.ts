import { defineConfig } from "drizzle-kit";

// One migration history for every environment. `db:migrate` / `db:studio` use DATABASE_URL when set,
// otherwise the embedded PGlite data directory the service uses by default.
const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
    dialect: "postgresql",
    schema: ["./src/domain/*/db/schema.ts", "./src/infrastructure/*/db/schema.ts"],
    out: "./drizzle",
    ...(databaseUrl
        ? { dbCredentials: { url: databaseUrl } }
        : {
              driver: "pglite",
              dbCredentials: {
                  url: process.env.PGLITE_DATA_DIR ?? `${process.env.DATA_DIR ?? "./.data"}/pglite`,
              },
          }),
});
