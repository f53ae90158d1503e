// Builds a report for every brief and records the run in Postgres.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

const BRIEFS = "inputs/briefs";
const OUT = path.join("generated", "reports");
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

export async function build(slug) {
  const brief = fs.readFileSync(path.join(BRIEFS, `${slug}.md`), "utf8");
  fs.mkdirSync(path.join(OUT, slug), { recursive: true });
  fs.writeFileSync(`${OUT}/${slug}/report.json`, JSON.stringify({ brief }));
  await pool.query("INSERT INTO report_runs (slug, status) VALUES ($1, 'done')", [slug]);
  const res = await fetch(`${process.env.CMS_BASE_URL}/api/v2/posts`, { method: "POST" });
  return { status: "done", res };
}
