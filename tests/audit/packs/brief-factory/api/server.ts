import express from "express";
import { createClient } from "@supabase/supabase-js";

const app = express();
const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_ANON_KEY!);

app.get("/api/briefs", async (_req, res) => {
  const { data } = await supabase.from("briefs").select("*");
  res.json(data);
});

app.post("/api/briefs/:slug/approve", async (req, res) => {
  await supabase
    .from("briefs")
    .update({ status: "approved" })
    .eq("slug", req.params.slug);
  await supabase.storage.from("report-files").upload(`${req.params.slug}.pdf`, req.body);
  res.sendStatus(204);
});
